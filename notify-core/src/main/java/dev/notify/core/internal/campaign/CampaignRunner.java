package dev.notify.core.internal.campaign;

import dev.notify.core.Campaign;
import dev.notify.core.CampaignState;
import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.InvalidDefinitionException;
import dev.notify.core.QueueEntry;
import dev.notify.core.Trigger;
import dev.notify.core.internal.CompiledRule;
import dev.notify.core.internal.CompiledTrigger;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.TargetSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves running campaigns forward one batch at a time: reads the next {@code batchSize} targets from the
 * campaign's {@link TargetSource} at its cursor, enqueues what they produce, then saves the new cursor and
 * counters with {@link NotificationStore#advanceCampaign} (never the state, so a concurrent pause or
 * cancel wins).
 *
 * <p>Crash safety: the enqueue and the cursor save are two steps. A crash between them makes the next run
 * read the same targets again; their entries carry the campaign's dedupe key, so the store drops them and
 * nobody is queued twice (they count as duplicates, and their skip logs are written again). Only
 * {@code batchSize + 1} targets are pulled from a stream per batch (one more tells whether the source is
 * exhausted), so a campaign never holds more than one batch in memory.
 *
 * <p>Several nodes: the {@code campaign-batches} job runs once per tick cluster-wide, but an operator's
 * start or resume on one node may overlap a batch on another. Both then read the same targets; the dedupe
 * keys again keep anyone from being queued twice. The cursor moves only from where a batch started
 * ({@link NotificationStore#advanceCampaign} is a compare-and-set), so only the first batch to finish moves it
 * and adds its counts. Each target was queued by one of the two batches and counted as a duplicate by the other,
 * so the second adds only what it queued itself to the targets, and takes it off the duplicates.
 */
public final class CampaignRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CampaignRunner.class);
  /** The smallest part a batch is split into (a smaller batch is one part). */
  static final int MIN_LANE_ENTRIES = 1_000;

  private final CampaignRuntime runtime;
  private final NotificationStore store;
  /** One batch at a time per engine: the job and an operator's start/resume may race. */
  private final ReentrantLock batchLock = new ReentrantLock();
  /** Campaigns whose "address-book filter is off" line was logged by this engine. */
  private final Set<String> announced = ConcurrentHashMap.newKeySet();

  public CampaignRunner(CampaignRuntime runtime) {
    this.runtime = runtime;
    this.store = runtime.store();
  }

  /**
   * One pass of the {@code campaign-batches} job: SCHEDULED campaigns whose time has come become RUNNING;
   * each RUNNING campaign whose next batch is due gets one batch; exhausted ones with nothing open left
   * become COMPLETED; CANCELLED ones get their entries left open cancelled. A failing campaign does not stop
   * the others; the first failure is rethrown at the end.
   *
   * @return entries queued
   */
  public int runDue() {
    int queued = 0;
    RuntimeException first = null;
    for (Campaign c : store.campaigns()) {
      try {
        queued += runIfDue(c);
      } catch (RuntimeException e) {
        LOG.warn("campaign '{}' ({}): batch failed, will retry on the next run: {}", c.name(), c.id(), e.toString());
        if (first == null) first = e;
        else first.addSuppressed(e);
      }
    }
    if (first != null) throw first;
    return queued;
  }

  private int runIfDue(Campaign c) {
    Instant now = runtime.clock().instant();
    if (c.state() == CampaignState.CANCELLED) {
      // entries left open after the cancel: a retry of a send that was in flight, an entry whose node died
      // sending it, or all of them when the process stopped between the cancel's two steps
      int n = store.cancelCampaignEntries(c.id(), now);
      if (n > 0) LOG.info("campaign '{}' ({}) is cancelled: {} entries left open are cancelled", c.name(), c.id(), n);
      return 0;
    }
    if (c.state() == CampaignState.SCHEDULED) {
      if (c.scheduledAt() != null && c.scheduledAt().isAfter(now)) return 0;
      if (!store.transitionCampaign(c.id(), CampaignState.SCHEDULED, CampaignState.RUNNING, now)) return 0;
      LOG.info("campaign '{}' ({}) reached its scheduled time and is RUNNING", c.name(), c.id());
      c = store.findCampaign(c.id()).orElse(null);
      if (c == null) return 0;
    }
    if (c.state() != CampaignState.RUNNING) return 0;
    if (c.exhausted()) {
      completeIfDone(c);
      return 0;
    }
    if (c.nextBatchAt() != null && c.nextBatchAt().isAfter(now)) return 0;
    return run(c.id(), false);
  }

  /**
   * Enqueues the next batch of a RUNNING campaign now, whatever its next batch time. Does nothing for a
   * campaign in another state or whose targets are all read (it completes it when nothing is open).
   *
   * @return entries queued
   */
  public int runBatch(String campaignId) {
    return run(campaignId, true);
  }

  /** Runs the next batch of a RUNNING campaign if it is due now. @return entries queued */
  public int runBatchIfDue(String campaignId) {
    return run(campaignId, false);
  }

  private int run(String campaignId, boolean evenIfNotDue) {
    batchLock.lock();
    try {
      Campaign c = store.findCampaign(campaignId).orElse(null);
      if (c == null || c.state() != CampaignState.RUNNING) return 0;
      if (c.exhausted()) {
        completeIfDone(c);
        return 0;
      }
      if (!evenIfNotDue && c.nextBatchAt() != null && c.nextBatchAt().isAfter(runtime.clock().instant())) return 0;
      return batch(c);
    } finally {
      batchLock.unlock();
    }
  }

  private int batch(Campaign c) {
    Instant now = runtime.clock().instant();
    TargetSource source = runtime.targetSources().get(c.targetSource());
    if (source == null) {
      throw new InvalidDefinitionException("campaign '" + c.name() + "' (" + c.id() + ") names target source '"
          + c.targetSource() + "' but none is registered on the engine builder; registered: "
          + runtime.targetSources().keySet());
    }
    CompiledRule rule = null;
    Trigger trigger = null;
    if (c.ruleName() != null) {
      rule = runtime.definitions().rule(c.ruleName()).orElseThrow(() -> new InvalidDefinitionException(
          "campaign '" + c.name() + "' (" + c.id() + ") names rule '" + c.ruleName() + "' which no longer exists"));
      trigger = runtime.definitions().trigger(rule.rule().trigger()).map(CompiledTrigger::trigger).orElse(null);
    }
    if (!c.skipRecipientsInAddressBook() && announced.add(c.id())) {
      LOG.info("campaign '{}' ({}): skipRecipientsInAddressBook=false, numbers in the address book are sent too",
          c.name(), c.id());
    }

    // Planned in parts of batchSize / (2 x lanes): each part's enqueue starts on the writers as soon as it is
    // planned, at most `lanes` at once, while this thread plans the next; so planning, the JVM's encoding and
    // the database's inserts overlap. With one lane the whole batch is one enqueue on this thread.
    TargetPlanner planner = new TargetPlanner(runtime, c, rule, trigger, now);
    int lanes = runtime.lanes();
    int part = lanes <= 1 ? c.batchSize() : Math.max(MIN_LANE_ENTRIES, (c.batchSize() + 2 * lanes - 1) / (2 * lanes));
    Parts parts = new Parts(now);
    long read = 0;
    boolean exhausted;
    try {
      try (Stream<?> targets = source.targets(c.targetParams(), c.cursor())) {
        Iterator<?> it = targets.iterator();
        while (read < c.batchSize() && it.hasNext()) {
          planner.add(it.next());
          read++;
          if (planner.pending() >= part) parts.submit(planner.drain());
        }
        exhausted = !it.hasNext();
      }
      if (lanes <= 1) parts.runHere(planner.drain());
      else parts.submit(planner.drain());
    } finally {
      parts.awaitAll(); // a failure of the target stream itself propagates; the parts are done either way
    }
    parts.throwIfFailed();
    List<QueueEntry> inserted = parts.inserted;
    TargetPlanner.Batch batch = parts.total();
    if (!batch.logs().isEmpty()) store.appendLogs(batch.logs());
    // counted like a fire's skips (before, the notify.skipped meter left out every campaign skip)
    for (DeliveryLog l : batch.logs()) runtime.skipped().accept(l.reason());
    long droppedByStore = parts.candidates - inserted.size();
    long duplicates = batch.duplicates() + droppedByStore;
    boolean moved = store.advanceCampaign(c.id(), c.cursor(), c.cursor() + read, exhausted,
        inserted.size() + batch.inAddressBook(), batch.inAddressBook(), duplicates, now.plus(c.batchInterval()), now);
    if (!inserted.isEmpty()) runtime.wakeDispatcher().run();
    if (!moved) {
      // another runner read the same targets and moved the cursor first, counting what this batch queued as duplicates
      if (!inserted.isEmpty()) store.addCampaignCounts(c.id(), inserted.size(), 0, -inserted.size(), now);
      LOG.info("campaign '{}' ({}) batch at target {} ran beside another runner's (another node); it queued {} of"
          + " those targets, the other runner the rest", c.name(), c.id(), c.cursor(), inserted.size());
    } else {
      LOG.info("campaign '{}' ({}) batch at target {}: read {}, queued {}, skipped in address book {}, duplicates {},"
              + " other skips {}{} (skipRecipientsInAddressBook={})", c.name(), c.id(), c.cursor(), read, inserted.size(),
          batch.inAddressBook(), duplicates, batch.logs().size() - batch.inAddressBook(),
          batch.ruleSkips().isEmpty() ? "" : ", rule skips " + batch.ruleSkips(), c.skipRecipientsInAddressBook());
    }

    Campaign after = store.findCampaign(c.id()).orElse(null);
    if (after != null && after.state() == CampaignState.CANCELLED) {
      // cancelled while this batch was being enqueued: what it queued goes too
      store.cancelCampaignEntries(c.id(), now);
    } else if (after != null && exhausted) {
      completeIfDone(after);
    }
    return inserted.size();
  }

  /**
   * The enqueue calls of one batch: parts submitted to the writers run at once (at most {@code lanes}), each
   * its own transaction.
   * When one fails the others may have committed; the cursor is not saved, so the batch is read again later
   * and the store's dedupe keys drop what was already queued (counted as duplicates). {@link #awaitAll} waits for
   * every part; {@link #throwIfFailed} then throws the first failure.
   */
  private final class Parts {
    private final Instant now;
    private final List<CompletableFuture<List<QueueEntry>>> running = new ArrayList<>();
    final List<QueueEntry> inserted = new ArrayList<>();
    /** Entries the parts tried to enqueue. */
    long candidates;
    // the parts' logs and counters together (their entries are not kept once enqueued)
    private final List<DeliveryLog> logs = new ArrayList<>();
    private long inAddressBook;
    private long duplicates;
    private final Map<String, Integer> ruleSkips = new HashMap<>();
    private RuntimeException failure;

    Parts(Instant now) { this.now = now; }

    /** Starts the part's enqueue on the writers, first waiting while {@code lanes} parts are still running. */
    void submit(TargetPlanner.Batch part) {
      count(part);
      if (part.entries().isEmpty()) return;
      while (running.size() >= runtime.lanes()) collect(running.remove(0));
      running.add(CompletableFuture.supplyAsync(() -> store.enqueue(part.entries(), now, null), runtime.writers()));
    }

    private void collect(CompletableFuture<List<QueueEntry>> f) {
      try {
        inserted.addAll(f.join());
      } catch (CompletionException e) {
        fail(e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e);
      }
    }

    void runHere(TargetPlanner.Batch part) {
      count(part);
      if (part.entries().isEmpty()) return;
      try {
        inserted.addAll(store.enqueue(part.entries(), now, null));
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    /** Waits for every submitted part, collecting what they inserted and how they failed. */
    void awaitAll() {
      for (CompletableFuture<List<QueueEntry>> f : running) collect(f);
      running.clear();
    }

    /** Throws the first failure of any part (the others suppressed in it). */
    void throwIfFailed() {
      if (failure != null) throw failure;
    }

    private void fail(RuntimeException e) {
      if (failure == null) failure = e;
      else if (failure != e) failure.addSuppressed(e);
    }

    private void count(TargetPlanner.Batch part) {
      candidates += part.entries().size();
      logs.addAll(part.logs());
      inAddressBook += part.inAddressBook();
      duplicates += part.duplicates();
      part.ruleSkips().forEach((k, v) -> ruleSkips.merge(k, v, Integer::sum));
    }

    /** The parts' logs and counters together (without their entries). */
    TargetPlanner.Batch total() {
      return new TargetPlanner.Batch(List.of(), logs, inAddressBook, duplicates, ruleSkips);
    }
  }

  /**
   * Completes a RUNNING campaign whose targets are all read and none of whose entries is still PENDING or
   * PROCESSING. @return whether it is COMPLETED now
   */
  public boolean completeIfDone(Campaign c) {
    if (c.state() == CampaignState.COMPLETED) return true;
    if (c.state() != CampaignState.RUNNING || !c.exhausted()) return false;
    Map<EntryState, Long> counts = store.countByState(c.id());
    if (counts.getOrDefault(EntryState.PENDING, 0L) > 0 || counts.getOrDefault(EntryState.PROCESSING, 0L) > 0) return false;
    if (store.transitionCampaign(c.id(), CampaignState.RUNNING, CampaignState.COMPLETED, runtime.clock().instant())) {
      LOG.info("campaign '{}' ({}) COMPLETED: {}", c.name(), c.id(), counts);
      return true;
    }
    return false;
  }
}
