package dev.notify.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit: concurrent callers' items are written by one call of {@code write} (one store transaction),
 * so a database-backed store takes many callers per commit. No extra thread: the first caller to find the
 * writer free writes everything waiting (its own items included, oldest first) and hands each caller the
 * results that belong to its items; the others wait for theirs. A caller returns only after its items are
 * written; a failed write fails every caller of that write with the same exception.
 *
 * @param <T> item written
 * @param <R> result of the write, matched back to items by key
 */
public final class GroupCommit<T, R> {
  /** A safety net only: a follower is unparked when its items are written or when it is next in line to write. */
  private static final long FOLLOWER_PARK_NANOS = 20_000_000;

  private final Function<List<T>, List<R>> write;
  private final Function<T, String> itemKey;
  private final Function<R, String> resultKey;
  private final int maxItemsPerWrite;
  private final ConcurrentLinkedQueue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writer = new ReentrantLock();

  public GroupCommit(Function<List<T>, List<R>> write, Function<T, String> itemKey, Function<R, String> resultKey, int maxItemsPerWrite) {
    this.write = write;
    this.itemKey = itemKey;
    this.resultKey = resultKey;
    this.maxItemsPerWrite = maxItemsPerWrite;
  }

  /** Writes {@code items} (possibly together with other callers'); returns the results that belong to them. */
  public List<R> submit(List<T> items) {
    Pending<T, R> mine = new Pending<>(items, Thread.currentThread());
    waiting.add(mine);
    // A caller's interrupt is set aside until it returns: as the writer it would fail (or, on some drivers, break)
    // a write that holds other callers' items too, and as a follower it would make the park return at once, a spin.
    // Its items are written either way; the caller finds its interrupt set again when this returns.
    boolean interrupted = Thread.interrupted();
    while (!mine.done) {
      if (writer.tryLock()) {
        try {
          writeUntilDone(mine);
        } finally {
          writer.unlock();
        }
        Pending<T, R> head = waiting.peek();
        if (head != null) LockSupport.unpark(head.caller); // hand the writer role on at once
      } else {
        LockSupport.parkNanos(this, FOLLOWER_PARK_NANOS); // woken by the writer; the timeout re-checks
      }
      interrupted |= Thread.interrupted();
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (mine.failure instanceof Error) throw (Error) mine.failure;
    if (mine.failure != null) throw (RuntimeException) mine.failure;
    return mine.result;
  }

  /** Number of callers waiting for a write (for tests). */
  int waitingCallers() { return waiting.size(); }

  /** Writes waiting callers' items, oldest first, until {@code mine} is written: a writer never serves others forever. */
  private void writeUntilDone(Pending<T, R> mine) {
    Pending<T, R> first;
    while (!mine.done && (first = waiting.poll()) != null) {
      List<Pending<T, R>> batch = new ArrayList<>();
      batch.add(first);
      int size = first.items.size();
      Pending<T, R> next;
      while (size < maxItemsPerWrite && (next = waiting.peek()) != null && waiting.remove(next)) {
        batch.add(next);
        size += next.items.size();
      }
      write(batch, size);
    }
  }

  private void write(List<Pending<T, R>> batch, int size) {
    if (batch.size() == 1) {
      Pending<T, R> p = batch.get(0);
      try {
        p.result = write.apply(p.items);
      } catch (RuntimeException | Error e) {
        p.failure = e;
      }
      p.finish();
      return;
    }
    List<T> all = new ArrayList<>(size);
    for (Pending<T, R> p : batch) all.addAll(p.items);
    try {
      List<R> results = write.apply(all);
      java.util.Map<String, R> byKey = new java.util.HashMap<>(results.size() * 2);
      for (R r : results) byKey.put(resultKey.apply(r), r);
      for (Pending<T, R> p : batch) {
        List<R> own = new ArrayList<>(p.items.size());
        Set<String> seen = new HashSet<>();
        for (T item : p.items) {
          String k = itemKey.apply(item);
          R r = byKey.get(k);
          if (r != null && seen.add(k)) own.add(r);
        }
        p.result = own;
      }
    } catch (RuntimeException | Error e) {
      // an Error too: the callers of this write were taken off the queue, and would otherwise wait forever
      for (Pending<T, R> p : batch) p.failure = e;
    }
    for (Pending<T, R> p : batch) p.finish();
  }

  private static final class Pending<T, R> {
    final List<T> items;
    final Thread caller;
    List<R> result;
    /** A RuntimeException or an Error. */
    Throwable failure;
    volatile boolean done;

    Pending(List<T> items, Thread caller) {
      this.items = items;
      this.caller = caller;
    }

    void finish() {
      done = true;
      LockSupport.unpark(caller);
    }
  }
}
