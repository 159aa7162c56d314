package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Instant;

/**
 * The audit row written once per terminal outcome of a queue entry (SENT, FAILED, SKIPPED, CANCELLED).
 *
 * @param id unique id
 * @param entryId the queue entry, null when the entry was never queued (e.g. skipped at fire time)
 * @param ruleName rule, may be null for a campaign without rule
 * @param campaignId campaign, may be null
 * @param phone E.164 phone (or the raw input when it was invalid)
 * @param recipientName may be null
 * @param templateKey template
 * @param state the terminal state
 * @param reason skip reason or provider error code (e.g. {@code blacklisted}, {@code invalid_phone}, {@code 131026})
 * @param message rendered body for SENT; error text for FAILED; may be null
 * @param provider provider id, may be null
 * @param externalId provider message id, may be null
 * @param attempts provider calls made
 * @param processingMillis time from claim to outcome
 * @param deliveryStatus updated by webhooks
 * @param createdAt when the outcome happened
 */
public record DeliveryLog(String id, String entryId, String ruleName, String campaignId, String phone,
                          String recipientName, String templateKey, EntryState state, String reason, String message,
                          String provider, String externalId, int attempts, long processingMillis,
                          DeliveryStatus deliveryStatus, Instant createdAt) {
  public DeliveryLog {
    Check.notBlank(id, "log id");
    Check.notNull(state, "log state");
    Check.notNull(createdAt, "log createdAt");
    if (!state.isTerminal()) throw new IllegalArgumentException("log state must be terminal, got " + state);
    if (deliveryStatus == null) deliveryStatus = DeliveryStatus.NONE;
  }

  public DeliveryLog withDeliveryStatus(DeliveryStatus status) {
    return new DeliveryLog(id, entryId, ruleName, campaignId, phone, recipientName, templateKey, state, reason, message,
        provider, externalId, attempts, processingMillis, status, createdAt);
  }

  /** The phone masked and the message left out: such values end up in logs. */
  @Override public String toString() {
    return "DeliveryLog{" + id + ", entry " + entryId + ", rule " + ruleName + ", " + dev.notify.core.internal.Phones.mask(phone) + ", " + state
        + (reason == null ? "" : " " + reason) + (deliveryStatus == null ? "" : ", " + deliveryStatus) + ", " + createdAt + "}";
  }
}
