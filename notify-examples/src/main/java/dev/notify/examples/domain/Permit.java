package dev.notify.examples.domain;

import java.time.LocalDate;

/**
 * A permit (izin) as the permit office's own database keeps it. notify reads its fields by name in rule
 * expressions ({@code record.applicantPhone}, {@code record.number}, ...).
 *
 * @param id database id, e.g. {@code P-0001}
 * @param number the permit number printed on the document, e.g. {@code 503/IMB/2026/0001}
 * @param type permit type, e.g. {@code IMB}
 * @param state {@code draft}, {@code approved}, {@code rejected}
 * @param applicantName the applicant (pemohon)
 * @param applicantPhone the applicant's WhatsApp number as typed at the counter
 * @param expiresOn last day the permit is valid
 */
public record Permit(String id, String number, String type, String state, String applicantName, String applicantPhone,
                     LocalDate expiresOn) {

  /** The same permit in another state. */
  public Permit withState(String newState) {
    return new Permit(id, number, type, newState, applicantName, applicantPhone, expiresOn);
  }
}
