package dev.notify.core.internal;

import dev.notify.core.QueueEntry;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.NotificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due entries with a lease and hands them, in chunks, to the send workers. One claimer thread per
 * engine; it sleeps until the next due entry or the idle poll interval, and a local fire wakes it at once.
 * At most {@code maxInFlight} entries are claimed and not yet completed, so a slow provider cannot make a
 * node hoard leases.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final NotificationStore store;
  private final EntryProcessor processor;
  private final Clock clock;
  private final String owner;
  private final int batchSize;
  private final int workers;
  private final Duration lease;
  private final Duration idlePoll;
  private final Duration claimLinger;
  private final ExecutorService sendPool;
  /** Workers finishing chunks at the same time store their outcomes in one transaction. */
  private final GroupCommit<EntryUpdate, String> completions;
  private final Semaphore inFlight;
  private final int maxInFlight;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean woken;
  private volatile Thread claimer;
  private volatile java.util.function.BooleanSupplier enabled = () -> true;

  public Dispatcher(NotificationStore store, EntryProcessor processor, Clock clock, String owner, int batchSize, int workers,
                    Duration lease, Duration idlePoll, Duration claimLinger, ExecutorService sendPool) {
    this.store = store;
    this.processor = processor;
    this.clock = clock;
    this.owner = owner;
    this.batchSize = batchSize;
    this.workers = workers;
    this.lease = lease;
    this.idlePoll = idlePoll;
    this.claimLinger = claimLinger;
    this.sendPool = sendPool;
    this.completions = new GroupCommit<>(store::complete, EntryUpdate::id, id -> id, 2_000);
    this.maxInFlight = Math.max(batchSize * 2, workers * 2);
    this.inFlight = new Semaphore(maxInFlight);
  }

  public String owner() { return owner; }

  /** While {@code enabled} says false (the queue-dispatch job is disabled), the claimer claims nothing. */
  public void enabledWhen(java.util.function.BooleanSupplier enabled) { this.enabled = enabled; }

  private long enabledCheckedAt = Long.MIN_VALUE;
  private boolean enabledCached = true;

  /** The enabled flag is read from the store at most once per idle poll interval. */
  private boolean isEnabled() {
    long now = System.nanoTime();
    if (enabledCheckedAt == Long.MIN_VALUE || now - enabledCheckedAt > idlePoll.toNanos()) {
      try {
        enabledCached = enabled.getAsBoolean();
      } catch (RuntimeException e) {
        LOG.debug("reading the queue-dispatch flag failed: {}", e.toString());
      }
      enabledCheckedAt = now;
    }
    return enabledCached;
  }

  /** Starts the claimer thread. */
  public void start(ThreadFactory threads) {
    if (!running.compareAndSet(false, true)) return;
    claimer = threads.newThread(this::loop);
    claimer.start();
  }

  /** Wakes the claimer now (called by a local fire). */
  public void wake() {
    woken = true;
    Thread t = claimer;
    if (t != null) LockSupport.unpark(t);
  }

  /**
   * One pass on the calling thread: claims and processes due entries until none is due. For hosts that
   * drive dispatch themselves and for deterministic tests.
   *
   * @return how many entries were processed
   */
  public int drainOnCallingThread() {
    int total = 0;
    while (true) {
      Instant now = clock.instant();
      List<QueueEntry> claimed = store.claimDue(now, batchSize, owner, now.plus(lease));
      if (claimed.isEmpty()) return total;
      processChunk(claimed);
      total += claimed.size();
    }
  }

  private void loop() {
    while (running.get()) {
      try {
        if (!isEnabled()) {
          park(idlePoll);
          continue;
        }
        int permits = Math.min(batchSize, maxInFlight);
        inFlight.acquire(permits);
        Instant now = clock.instant();
        woken = false;
        List<QueueEntry> claimed;
        try {
          claimed = store.claimDue(now, permits, owner, now.plus(lease));
        } catch (RuntimeException e) {
          inFlight.release(permits);
          LOG.warn("claiming due entries failed; retrying in {}: {}", idlePoll, e.toString());
          park(idlePoll);
          continue;
        }
        if (claimed.size() < permits) inFlight.release(permits - claimed.size());
        if (claimed.isEmpty()) {
          park(sleepTime(now));
          continue;
        }
        submit(claimed);
        if (claimed.size() < permits && !claimLinger.isZero()) {
          // a short claim: let the queue fill a little so the next claim is a batch, not one entry per fire
          LockSupport.parkNanos(this, claimLinger.toNanos());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void submit(List<QueueEntry> claimed) {
    int chunk = Math.max(1, (claimed.size() + workers - 1) / workers);
    for (int i = 0; i < claimed.size(); i += chunk) {
      List<QueueEntry> part = claimed.subList(i, Math.min(claimed.size(), i + chunk));
      active.incrementAndGet();
      try {
        sendPool.execute(() -> {
          try {
            processChunk(part);
          } finally {
            inFlight.release(part.size());
            active.decrementAndGet();
          }
        });
      } catch (RuntimeException rejected) {
        active.decrementAndGet();
        inFlight.release(part.size());
        // only happens while closing: close() releases this node's leases once in-flight chunks are done;
        // releasing them here could hand entries still being sent by other chunks to another node
        LOG.warn("send pool rejected work; its entries wait for close() to release them: {}", rejected.toString());
        return;
      }
    }
  }

  private void processChunk(List<QueueEntry> part) {
    List<EntryUpdate> updates = new ArrayList<>(part.size());
    for (QueueEntry e : part) updates.add(processor.process(e, owner));
    try {
      completions.submit(updates);
    } catch (RuntimeException e) {
      // The entries stay PROCESSING under our lease; when it expires they are claimed again (at-least-once).
      LOG.error("storing {} outcomes failed; their leases will expire and they will be retried: {}", updates.size(), e.toString());
    }
  }

  private Duration sleepTime(Instant now) {
    Duration sleep = idlePoll;
    try {
      Optional<Instant> next = store.nextDue();
      if (next.isPresent()) {
        Duration until = Duration.between(now, next.get());
        // a due entry that the claim just passed over (paused campaign, leased elsewhere) must not make us spin
        if (until.compareTo(sleep) < 0 && !until.isNegative() && !until.isZero()) sleep = until;
      }
    } catch (RuntimeException e) {
      LOG.debug("nextDue failed: {}", e.toString());
    }
    return sleep;
  }

  private void park(Duration d) {
    if (woken || d.isZero()) return;
    LockSupport.parkNanos(this, Math.max(1_000_000L, d.toNanos()));
  }

  /**
   * Stops claiming, waits up to {@code timeout} for in-flight sends, then releases the leases of anything
   * not completed so another node (or the next start) takes it at once.
   */
  public void close(Duration timeout) {
    if (running.compareAndSet(true, false)) {
      Thread t = claimer;
      if (t != null) {
        LockSupport.unpark(t);
        t.interrupt();
        try {
          t.join(timeout.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    sendPool.shutdown();
    try {
      if (!sendPool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} send chunks still running after {}; releasing leases", active.get(), timeout);
        sendPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      int released = store.releaseLeases(owner);
      if (released > 0) LOG.info("released {} leased entries on close", released);
    } catch (RuntimeException e) {
      LOG.warn("releasing leases failed; they will expire: {}", e.toString());
    }
  }

  @Override public void close() { close(Duration.ofSeconds(10)); }
}
