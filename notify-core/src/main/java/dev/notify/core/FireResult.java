package dev.notify.core;

import java.util.List;

/**
 * What {@code fire} did: the entries queued and every rule that queued nothing (or skipped a recipient), with why.
 */
public record FireResult(List<QueueEntry> queued, List<Skip> skipped) {
  public FireResult {
    queued = List.copyOf(queued);
    skipped = List.copyOf(skipped);
  }

  /**
   * A rule (or one recipient of it) that queued nothing.
   *
   * @param rule rule name (or trigger code when the trigger itself did not match)
   * @param reason short stable code: {@code inactive}, {@code condition_false}, {@code trigger_condition_false},
   *     {@code invalid_phone}, {@code no_recipients}, {@code duplicate}, {@code blacklisted}, {@code error}
   * @param detail human-readable detail, phone numbers masked
   */
  public record Skip(String rule, String reason, String detail) {}

  public int queuedCount() { return queued.size(); }

  /** Whether any skip carries {@code reason}. */
  public boolean skippedFor(String reason) {
    return skipped.stream().anyMatch(s -> s.reason().equals(reason));
  }
}
