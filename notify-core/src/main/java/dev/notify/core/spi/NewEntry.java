package dev.notify.core.spi;

import dev.notify.core.QueueEntry;
import java.time.Instant;

/**
 * An entry to enqueue. When the entry has a dedupe key, {@code dedupeUntil} is how long the key blocks
 * another entry with the same key (null when there is no key).
 */
public record NewEntry(QueueEntry entry, Instant dedupeUntil) {
  public NewEntry {
    if (entry == null) throw new NullPointerException("entry");
    if (entry.dedupeKey() != null && dedupeUntil == null) {
      throw new IllegalArgumentException("entry " + entry.id() + " has a dedupe key but no dedupeUntil");
    }
  }
}
