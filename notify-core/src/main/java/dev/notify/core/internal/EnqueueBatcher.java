package dev.notify.core.internal;

import dev.notify.core.QueueEntry;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.NotificationStore;
import java.time.Instant;
import java.util.List;

/**
 * Group commit for {@code fire}: concurrent callers' entries are written in one {@code store.enqueue} call
 * (one transaction), so a database-backed queue takes many fires per commit; see {@link GroupCommit}. Each
 * caller returns after its own entries are committed, and a failed write fails every caller of that write,
 * committing nothing. Callers that pass their own transaction bypass this.
 */
public final class EnqueueBatcher {
  private final GroupCommit<NewEntry, QueueEntry> group;
  private volatile Instant latest = Instant.MIN;

  public EnqueueBatcher(NotificationStore store) {
    this.group = new GroupCommit<>(entries -> store.enqueue(entries, latest, null), ne -> ne.entry().id(), QueueEntry::id, 1_000);
  }

  /** Enqueues {@code entries} (possibly together with other callers'); returns those of them that were inserted. */
  public List<QueueEntry> enqueue(List<NewEntry> entries, Instant now) {
    synchronized (this) {
      if (now.isAfter(latest)) latest = now; // a shared write uses the latest caller's time for dedupe expiry
    }
    return group.submit(entries);
  }

  /** Number of callers waiting for a write (for tests). */
  int waitingCallers() { return group.waitingCallers(); }
}
