package dev.notify.core.internal;

import dev.notify.core.QueueEntry;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.NotificationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for {@code fire}: concurrent callers' entries are written in one {@code store.enqueue} call
 * (one transaction), so a database-backed queue takes many fires per commit; see {@link GroupCommit}. Each
 * caller returns after its own entries are committed, and a failed write fails every caller of that write,
 * committing nothing. Callers that pass their own transaction bypass this.
 */
public final class EnqueueBatcher {
  private final GroupCommit<Item, QueueEntry> group;

  /** One entry and the time its fire() saw. */
  private record Item(NewEntry entry, Instant now) {}

  public EnqueueBatcher(NotificationStore store) {
    this.group = new GroupCommit<>(items -> {
      List<NewEntry> entries = new ArrayList<>(items.size());
      Instant now = items.get(0).now();
      for (Item i : items) {
        entries.add(i.entry());
        if (i.now().isAfter(now)) now = i.now(); // a shared write checks dedupe windows at its latest caller's time
      }
      return store.enqueue(entries, now, null);
    }, i -> i.entry().entry().id(), QueueEntry::id, 1_000);
  }

  /** Enqueues {@code entries} (possibly together with other callers'); returns those of them that were inserted. */
  public List<QueueEntry> enqueue(List<NewEntry> entries, Instant now) {
    List<Item> items = new ArrayList<>(entries.size());
    for (NewEntry e : entries) items.add(new Item(e, now));
    return group.submit(items);
  }

  /** Number of callers waiting for a write (for tests). */
  int waitingCallers() { return group.waitingCallers(); }
}
