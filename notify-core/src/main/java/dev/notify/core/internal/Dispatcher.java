package dev.notify.core.internal;

import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.NotificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * The workers hand their outcomes back to the claimer, which stores them together with its next claim
 * ({@link NotificationStore#completeAndClaim}): one store call per batch, not two. Outcomes wait at most
 * {@code claimLinger} (or until a batch of them is ready) before they are stored. At most
 * {@code maxInFlight} entries are claimed and not yet stored as done, so a slow provider cannot make a
 * node hoard leases. An entry is sent only while half of its lease is left; later, it goes back to the queue
 * unsent, since after its lease another node may claim and send it.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /** After this many failed store calls in a row, outcomes are stored one by one and the failing ones dropped. */
  static final int FAILURES_BEFORE_ONE_BY_ONE = 3;

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
  /** Outcomes from the workers, stored by the claimer with its next claim (or by close()). */
  private final ConcurrentLinkedQueue<EntryUpdate> done = new ConcurrentLinkedQueue<>();
  private final AtomicInteger doneCount = new AtomicInteger();
  /** Outcomes of {@link #drainOnCallingThread} that the store could not take, stored first by its next call. */
  private final ConcurrentLinkedQueue<EntryUpdate> unstored = new ConcurrentLinkedQueue<>();
  private final Semaphore inFlight;
  private final int maxInFlight;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicInteger active = new AtomicInteger();
  /** Passes of {@link #drainOnCallingThread} going on now (a host's own dispatchNow()): close() waits for them. */
  private final AtomicInteger drains = new AtomicInteger();
  /** Set when close() begins: a host's dispatch pass sends nothing more (hands its entries back) and claims no more. */
  private volatile boolean closing;
  /** Set when close() stopped waiting for the send workers: they send nothing more, their leases are released. */
  private volatile boolean abandoned;
  private volatile boolean woken;
  /** When (System.nanoTime) a fire last joined a host's transaction; 0: never. */
  private volatile long hostFireAt;
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

  /**
   * Wakes the claimer for a fire that joined a host's transaction: its entries are seen only once the host commits,
   * which may be after the claim this wake starts. Until the idle poll interval has passed since the fire, an empty
   * claim is tried again soon (after 10 ms, then after as long as has passed since the fire), so the entries go out
   * shortly after the commit instead of at the next idle poll.
   */
  public void wakeForHostTransaction() {
    hostFireAt = System.nanoTime() | 1; // never 0
    wake();
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
    drains.incrementAndGet();
    try {
      return drain();
    } finally {
      drains.decrementAndGet();
    }
  }

  private int drain() {
    List<EntryUpdate> kept = new ArrayList<>();
    for (EntryUpdate u; (u = unstored.poll()) != null; ) kept.add(u);
    if (!kept.isEmpty()) {
      try {
        store.complete(kept);
      } catch (RuntimeException e) {
        unstored.addAll(kept); // still kept: the store is still failing
        throw e;
      }
    }
    int total = 0;
    while (!closing) {
      Instant now = clock.instant();
      List<QueueEntry> claimed = store.claimDue(now, batchSize, owner, now.plus(lease));
      if (claimed.isEmpty()) return total;
      processChunk(claimed);
      total += claimed.size();
    }
    return total;
  }

  private void loop() {
    int claimSize = Math.min(batchSize, maxInFlight);
    long linger = claimLinger.toNanos();
    long idleUntil = 0;      // after an empty claim: claim again only when woken or at this time
    long lingerUntil = 0;    // after a short claim: let the queue fill until this time
    long doneSince = 0;      // when the oldest unstored outcome was first seen (0: none)
    int failures = 0;        // store calls failed in a row
    while (running.get()) {
      try {
        long now = System.nanoTime();
        int pending = doneCount.get();
        if (pending <= 0) doneSince = 0;
        else if (doneSince == 0) doneSince = now;
        boolean canClaim = isEnabled() && inFlight.availablePermits() >= claimSize;
        boolean claim = canClaim && now - lingerUntil >= 0 && (woken || now - idleUntil >= 0);
        boolean flush = pending >= claimSize || (pending > 0 && now - doneSince >= linger);
        if (!claim && !flush) {
          long wait = idlePoll.toNanos();
          if (pending > 0) wait = Math.min(wait, doneSince + linger - now);
          if (canClaim) wait = Math.min(wait, Math.max(lingerUntil, woken ? now : idleUntil) - now);
          LockSupport.parkNanos(this, Math.max(50_000L, wait)); // woken early by a fire or a finished chunk
          continue;
        }
        if (claim) woken = false; // a fire from here on wakes the next claim
        List<EntryUpdate> updates = new ArrayList<>(Math.max(pending, 0));
        for (EntryUpdate u; (u = done.poll()) != null; ) updates.add(u);
        doneCount.addAndGet(-updates.size());
        doneSince = 0;
        int permits = claim && inFlight.tryAcquire(claimSize) ? claimSize : 0;
        Instant at = clock.instant();
        List<QueueEntry> claimed;
        try {
          claimed = store.completeAndClaim(updates, at, permits, owner, at.plus(lease));
        } catch (RuntimeException e) {
          inFlight.release(permits);
          if (++failures < FAILURES_BEFORE_ONE_BY_ONE || updates.isEmpty()) {
            // the outcomes are kept and stored with the next call (their leases still hold them meanwhile)
            done.addAll(updates);
            doneCount.addAndGet(updates.size());
            LOG.warn("storing {} outcomes and claiming due entries failed; retrying in {}: {}", updates.size(), idlePoll,
                e.toString());
          } else {
            // one outcome the store refuses must not stop this node: store them one by one and drop what fails
            storeOneByOne(updates);
            failures = 0;
          }
          idleUntil = System.nanoTime() + idlePoll.toNanos();
          lingerUntil = idleUntil;
          LockSupport.parkNanos(this, idlePoll.toNanos());
          continue;
        }
        failures = 0;
        inFlight.release(updates.size());
        if (permits == 0) continue;
        if (claimed.size() < permits) inFlight.release(permits - claimed.size());
        if (claimed.isEmpty()) {
          long sleep = Math.max(1_000_000L, sleepTime(at).toNanos());
          long hostFire = hostFireAt;
          long sinceHostFire = System.nanoTime() - hostFire;
          if (hostFire != 0 && sinceHostFire < idlePoll.toNanos()) sleep = Math.min(sleep, Math.max(10_000_000L, sinceHostFire));
          idleUntil = System.nanoTime() + sleep;
          continue;
        }
        idleUntil = 0;
        submit(claimed);
        // a short claim: let the queue fill a little so the next claim is a batch, not one entry per fire
        lingerUntil = claimed.size() < permits ? System.nanoTime() + linger : 0;
      } catch (RuntimeException e) {
        LOG.error("dispatcher loop failed; retrying in {}: {}", idlePoll, e.toString());
        LockSupport.parkNanos(this, idlePoll.toNanos());
      }
    }
  }

  private void submit(List<QueueEntry> claimed) {
    int chunk = Math.max(1, (claimed.size() + workers - 1) / workers);
    for (int i = 0; i < claimed.size(); i += chunk) {
      List<QueueEntry> part = claimed.subList(i, Math.min(claimed.size(), i + chunk));
      active.incrementAndGet();
      try {
        sendPool.execute(() -> processInBackground(part));
      } catch (RuntimeException rejected) {
        active.decrementAndGet();
        inFlight.release(claimed.size() - i); // this chunk and the ones not submitted after it
        // only happens while closing: close() releases this node's leases once in-flight chunks are done;
        // releasing them here could hand entries still being sent by other chunks to another node
        LOG.warn("send pool rejected work; its entries wait for close() to release them: {}", rejected.toString());
        return;
      }
    }
  }

  /** A send worker's chunk: each outcome goes to the claimer, which stores it (and releases its permit). */
  private void processInBackground(List<QueueEntry> part) {
    int handed = 0;
    try {
      int[] handedBack = {0};
      for (QueueEntry e : part) {
        if (abandoned) break; // close() gave up waiting and releases this entry's lease: another node sends it
        done.add(sendWhileLeased(e, handedBack));
        doneCount.incrementAndGet();
        handed++;
      }
      warnHandedBack(handedBack[0]);
    } finally {
      // an entry whose processing threw keeps its lease until it expires, then it is claimed again
      if (handed < part.size()) inFlight.release(part.size() - handed);
      active.decrementAndGet();
      Thread t = claimer;
      if (t != null) LockSupport.unpark(t);
    }
  }

  /**
   * Stores each outcome alone; one that still fails is dropped: its entry stays PROCESSING under our lease
   * and is claimed again when the lease expires (at-least-once), as after a crash. But when none could be stored
   * and the store does not answer a read either, the store is down rather than refusing these outcomes: they are
   * all kept for the next call (dropped, each would be sent again). Releases the permits of what it did not keep.
   */
  private void storeOneByOne(List<EntryUpdate> updates) {
    List<Map.Entry<EntryUpdate, RuntimeException>> failed = storeEachAlone(updates);
    if (storeIsDown(failed, updates)) {
      failed.forEach(f -> done.add(f.getKey()));
      doneCount.addAndGet(failed.size());
      LOG.warn("the store does not answer; keeping {} outcomes to store when it does: {}", failed.size(),
          failed.get(failed.size() - 1).getValue().toString());
      return;
    }
    failed.forEach(f -> LOG.error("storing the outcome of entry {} failed {} times; it will be sent again when its"
        + " lease expires: {}", f.getKey().id(), FAILURES_BEFORE_ONE_BY_ONE, f.getValue().toString()));
    inFlight.release(updates.size());
    if (!failed.isEmpty() && failed.size() < updates.size()) {
      LOG.info("stored {} of {} outcomes one by one", updates.size() - failed.size(), updates.size());
    }
  }

  /** Stores each outcome in a call of its own. @return those that failed, in input order, each with its error */
  private List<Map.Entry<EntryUpdate, RuntimeException>> storeEachAlone(List<EntryUpdate> updates) {
    List<Map.Entry<EntryUpdate, RuntimeException>> failed = new ArrayList<>();
    for (EntryUpdate u : updates) {
      try {
        store.complete(List.of(u));
      } catch (RuntimeException e) {
        if (!storedPlain(u, e)) failed.add(Map.entry(u, e));
      }
    }
    return failed;
  }

  /** The longest provider message id kept when an outcome has to be stored plainly (MariaDB's column holds 255). */
  static final int PLAIN_EXTERNAL_ID = 255;

  /**
   * Stores an outcome the store refused as it was, in a plainer form: text without NUL characters (PostgreSQL refuses
   * them) and a provider message id longer than {@value #PLAIN_EXTERNAL_ID} characters left out (MariaDB's column);
   * then, if that is refused too, with a bare log (no message, name or message id). Before, such an outcome was
   * dropped: the entry stayed PROCESSING and was sent again after every lease, without end, since its attempts were
   * never stored either.
   *
   * @return whether a plainer form was stored
   */
  private boolean storedPlain(EntryUpdate u, RuntimeException refusal) {
    for (boolean bare : new boolean[] {false, true}) {
      EntryUpdate attempt = plain(u, bare);
      try {
        store.complete(List.of(attempt));
        LOG.warn("the outcome of entry {} was refused as it was ({}); stored {}", u.id(), refusal.toString(),
            bare ? "with a bare log" : "with its text cleaned");
        return true;
      } catch (RuntimeException e) {
        refusal.addSuppressed(e);
      }
    }
    return false;
  }

  private static EntryUpdate plain(EntryUpdate u, boolean bareLog) {
    String externalId = u.externalId() != null && u.externalId().length() > PLAIN_EXTERNAL_ID ? null : clean(u.externalId());
    DeliveryLog l = u.log();
    DeliveryLog log = l == null ? null : new DeliveryLog(l.id(), l.entryId(), clean(l.ruleName()), clean(l.campaignId()),
        Phones.forLog(clean(l.phone())), bareLog ? null : clean(l.recipientName()), clean(l.templateKey()), l.state(),
        clean(l.reason()), bareLog ? null : clean(l.message()), clean(l.provider()), bareLog ? null : externalId,
        l.attempts(), l.processingMillis(), l.deliveryStatus(), l.createdAt());
    return new EntryUpdate(u.id(), u.leaseOwner(), u.state(), u.attempts(), u.scheduledAt(), clean(u.lastError()),
        clean(u.provider()), externalId, u.updatedAt(), log);
  }

  private static String clean(String s) {
    return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
  }

  /**
   * Whether none of {@code updates} could be stored alone and the store does not answer a read either: the store is
   * down, rather than refusing these outcomes.
   */
  private boolean storeIsDown(List<Map.Entry<EntryUpdate, RuntimeException>> failed, List<EntryUpdate> updates) {
    if (failed.size() < updates.size()) return false;
    try {
      store.nextDue();
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** Processes claimed entries on the calling thread and stores their outcomes at once. */
  private void processChunk(List<QueueEntry> part) {
    List<EntryUpdate> updates = new ArrayList<>(part.size());
    int[] handedBack = {0};
    // once close() has begun, the rest goes back unsent: close() releases this node's leases when this pass ends,
    // and an entry sent after that could be claimed and sent by another node too
    for (QueueEntry e : part) updates.add(closing ? handBack(e) : sendWhileLeased(e, handedBack));
    warnHandedBack(handedBack[0]);
    try {
      store.complete(updates);
    } catch (RuntimeException e) {
      // as in the background loop: one by one, and all kept (for the next call) when the store does not answer
      List<Map.Entry<EntryUpdate, RuntimeException>> failed = storeEachAlone(updates);
      if (storeIsDown(failed, updates)) {
        failed.forEach(f -> unstored.add(f.getKey()));
        LOG.warn("the store does not answer; keeping {} outcomes to store on the next dispatch: {}", failed.size(), e.toString());
        return;
      }
      // The entries stay PROCESSING under our lease; when it expires they are claimed again (at-least-once).
      failed.forEach(f -> LOG.error("storing the outcome of entry {} failed; its lease will expire and it will be"
          + " sent again: {}", f.getKey().id(), f.getValue().toString()));
    }
  }

  /**
   * Processes a claimed entry only while at least half of its lease is left; else hands it back unsent (and counts it
   * in {@code handedBack}). Entries wait in
   * this node's send queue after their claim; sent after their lease expired, they could also be claimed and
   * sent by another node (or by this one again). Half the lease is the time left for the send and for storing
   * its outcome, so a single send must take less than that.
   */
  private EntryUpdate sendWhileLeased(QueueEntry e, int[] handedBack) {
    Instant expiry = e.leaseExpiry();
    if (expiry != null && clock.instant().isAfter(expiry.minus(lease.dividedBy(2)))) {
      handedBack[0]++;
      return handBack(e);
    }
    return processor.process(e, owner);
  }

  /** The entry, not sent, goes back to PENDING as due as it was (applied only while our lease holds it). */
  private EntryUpdate handBack(QueueEntry e) {
    return new EntryUpdate(e.id(), owner, EntryState.PENDING, e.attempts(), e.scheduledAt(), e.lastError(), e.provider(),
        e.externalId(), clock.instant(), null);
  }

  private void warnHandedBack(int count) {
    if (count == 0) return;
    LOG.warn("{} claimed entries were not sent because half of their lease ({}) had passed while they waited; they go"
        + " back to the queue. The provider is slower than this node claims: lower batchSize or raise the lease",
        count, lease);
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

  /**
   * Stops claiming, waits up to {@code timeout} for in-flight sends, then releases the leases of anything
   * not completed so another node (or the next start) takes it at once.
   */
  public void close(Duration timeout) {
    closing = true;
    if (running.compareAndSet(true, false)) {
      Thread t = claimer;
      if (t != null) {
        // unpark only: an interrupt during a store call can break the store (an interrupted H2 file channel
        // closes the database), and the loop sees running == false within one park
        LockSupport.unpark(t);
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
        abandoned = true; // the workers start no further send: those entries are released below
        sendPool.shutdownNow();
        // sends that end now still get their outcomes stored; one still running after this may be sent again
        sendPool.awaitTermination(Math.min(timeout.toMillis(), 1_000), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // a host's own dispatch pass (dispatchNow() on another thread) finishes its send and stores its outcomes before
    // the leases are released; before, its entries were released while it was still sending them
    long deadline = System.nanoTime() + timeout.toNanos();
    while (drains.get() > 0 && System.nanoTime() - deadline < 0) LockSupport.parkNanos(1_000_000L);
    if (drains.get() > 0) LOG.warn("a dispatch pass of the host is still running after {}; releasing leases", timeout);
    List<EntryUpdate> left = new ArrayList<>();
    for (EntryUpdate u; (u = done.poll()) != null; ) left.add(u);
    for (EntryUpdate u; (u = unstored.poll()) != null; ) left.add(u);
    if (!left.isEmpty()) {
      try {
        store.complete(left);
      } catch (RuntimeException e) {
        // one outcome the store refuses must not lose the others: their leases are released below, and an entry
        // whose SENT outcome is not stored would be sent again at once
        LOG.warn("storing {} outcomes on close failed; storing them one by one: {}", left.size(), e.toString());
        storeEachAlone(left).forEach(f -> LOG.error("storing the outcome of entry {} on close failed; its lease is"
            + " released and it will be sent again: {}", f.getKey().id(), f.getValue().toString()));
      }
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
