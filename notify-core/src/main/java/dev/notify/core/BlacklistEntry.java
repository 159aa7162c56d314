package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Instant;

/**
 * A number that must not be messaged (opt-out). Phone is E.164 and unique.
 *
 * @param phone E.164 phone
 * @param partnerId host's id of the person, may be null
 * @param reason why, may be null
 * @param active inactive entries are kept for history but block nothing
 * @param blockedCount how many sends it has stopped
 * @param lastBlockedAt when it last stopped one, may be null
 * @param createdAt when it was added
 */
public record BlacklistEntry(String phone, String partnerId, String reason, boolean active, long blockedCount,
                             Instant lastBlockedAt, Instant createdAt) {
  public BlacklistEntry {
    Check.notBlank(phone, "blacklist phone");
    Check.notNull(createdAt, "blacklist createdAt");
    if (blockedCount < 0) throw new IllegalArgumentException("blacklist blockedCount must be >= 0, got " + blockedCount);
  }

  public static BlacklistEntry of(String phone, String reason, Instant createdAt) {
    return new BlacklistEntry(phone, null, reason, true, 0, null, createdAt);
  }

  public BlacklistEntry withActive(boolean newActive) {
    return new BlacklistEntry(phone, partnerId, reason, newActive, blockedCount, lastBlockedAt, createdAt);
  }

  /** The phone masked: such values end up in logs. */
  @Override public String toString() {
    return "BlacklistEntry{" + dev.notify.core.internal.Phones.mask(phone) + (active ? "" : ", inactive") + ", reason=" + reason
        + ", blocked " + blockedCount + "x}";
  }
}
