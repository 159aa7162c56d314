package dev.notify.examples.domain;

import java.time.LocalDateTime;

/**
 * A document of a permit that goes through electronic signature (TTE).
 *
 * @param id database id, e.g. {@code D-100}
 * @param number document number
 * @param permitNumber the permit it belongs to
 * @param applicantName the permit's applicant
 * @param applicantPhone the applicant's WhatsApp number
 * @param state {@code draft}, {@code pending_signature}, {@code signed}
 * @param pendingSince local time it started waiting for a signature (null unless pending or signed)
 * @param signedAt local time it was signed (null unless signed)
 */
public record Document(String id, String number, String permitNumber, String applicantName, String applicantPhone,
                       String state, LocalDateTime pendingSince, LocalDateTime signedAt) {

  /** The document waiting for a signature since {@code at}. */
  public Document pendingSignature(LocalDateTime at) {
    return new Document(id, number, permitNumber, applicantName, applicantPhone, "pending_signature", at, null);
  }

  /** The document signed at {@code at}. */
  public Document signed(LocalDateTime at) {
    return new Document(id, number, permitNumber, applicantName, applicantPhone, "signed", pendingSince, at);
  }
}
