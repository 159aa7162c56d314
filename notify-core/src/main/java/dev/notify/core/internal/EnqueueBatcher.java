package dev.notify.core.internal;

import dev.notify.core.QueueEntry;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.NotificationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for {@code fire}: concurrent callers' entries are written in one {@code store.enqueue} call
 * (one transaction), so a database-backed queue takes many fires per commit. No extra thread: the first
 * caller to find the writer free writes everything waiting (its own entries included) and hands each
 * caller its result; the others wait for theirs. Each caller still returns only after its entries are
 * committed, and a failed write fails every caller of that write with the same exception, committing
 * nothing. Callers that pass their own transaction bypass this.
 */
public final class EnqueueBatcher {
  private static final int MAX_ENTRIES_PER_WRITE = 1_000;
  private static final long FOLLOWER_PARK_NANOS = 200_000;

  private final NotificationStore store;
  private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writer = new ReentrantLock();

  public EnqueueBatcher(NotificationStore store) {
    this.store = store;
  }

  /** Enqueues {@code entries} (possibly together with other callers'); returns those of them that were inserted. */
  public List<QueueEntry> enqueue(List<NewEntry> entries, Instant now) {
    Pending mine = new Pending(entries, now, Thread.currentThread());
    waiting.add(mine);
    while (!mine.done) {
      if (writer.tryLock()) {
        try {
          writeUntilDone(mine);
        } finally {
          writer.unlock();
        }
        Pending head = waiting.peek();
        if (head != null) LockSupport.unpark(head.caller); // hand the writer role on at once
      } else {
        LockSupport.parkNanos(this, FOLLOWER_PARK_NANOS); // woken by the writer; the timeout re-checks
      }
    }
    if (mine.failure != null) throw mine.failure;
    return mine.result;
  }

  /** Number of callers waiting for a write (for tests). */
  int waitingCallers() { return waiting.size(); }

  /** Writes waiting callers' entries, oldest first, until {@code mine} is written: a writer never serves others forever. */
  private void writeUntilDone(Pending mine) {
    Pending first;
    while (!mine.done && (first = waiting.poll()) != null) {
      List<Pending> batch = new ArrayList<>();
      batch.add(first);
      int size = first.entries.size();
      Pending next;
      while (size < MAX_ENTRIES_PER_WRITE && (next = waiting.peek()) != null && waiting.remove(next)) {
        batch.add(next);
        size += next.entries.size();
      }
      write(batch, size);
    }
  }

  private void write(List<Pending> batch, int size) {
    if (batch.size() == 1) {
      Pending p = batch.get(0);
      try {
        p.result = store.enqueue(p.entries, p.now, null);
      } catch (RuntimeException e) {
        p.failure = e;
      }
      p.finish();
      return;
    }
    List<NewEntry> all = new ArrayList<>(size);
    Instant now = batch.get(0).now;
    for (Pending p : batch) {
      all.addAll(p.entries);
      if (p.now.isAfter(now)) now = p.now;
    }
    try {
      List<QueueEntry> inserted = store.enqueue(all, now, null);
      Set<String> ids = new HashSet<>(inserted.size() * 2);
      for (QueueEntry q : inserted) ids.add(q.id());
      for (Pending p : batch) {
        List<QueueEntry> own = new ArrayList<>(p.entries.size());
        for (NewEntry ne : p.entries) if (ids.contains(ne.entry().id())) own.add(ne.entry());
        p.result = own;
      }
    } catch (RuntimeException e) {
      for (Pending p : batch) p.failure = e;
    }
    for (Pending p : batch) p.finish();
  }

  private static final class Pending {
    final List<NewEntry> entries;
    final Instant now;
    final Thread caller;
    List<QueueEntry> result;
    RuntimeException failure;
    volatile boolean done;

    Pending(List<NewEntry> entries, Instant now, Thread caller) {
      this.entries = entries;
      this.now = now;
      this.caller = caller;
    }

    void finish() {
      done = true;
      LockSupport.unpark(caller);
    }
  }
}
