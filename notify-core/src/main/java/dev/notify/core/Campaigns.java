package dev.notify.core;

import dev.notify.core.internal.Ids;
import dev.notify.core.internal.campaign.CampaignRunner;
import dev.notify.core.internal.campaign.CampaignRuntime;
import dev.notify.core.spi.NotificationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk campaigns: {@code engine.campaigns()}. Thread-safe.
 *
 * <p>Life cycle: {@link #create} stores a DRAFT. {@link #start} moves it to SCHEDULED when its
 * {@code scheduledAt} is still ahead, else to RUNNING and enqueues the first batch at once. The
 * {@code campaign-batches} job ({@link #runDueBatches}) starts SCHEDULED campaigns whose time has come and
 * enqueues one batch of each RUNNING campaign whose next batch is due (no earlier than the previous batch
 * plus the batch interval). RUNNING ⇄ PAUSED with {@link #pause} and {@link #resume}; a paused campaign
 * queues no new batch and its pending entries wait. When the target source is exhausted and no entry of the
 * campaign is PENDING or PROCESSING the campaign is COMPLETED. {@link #cancel} ends any open campaign
 * (DRAFT, SCHEDULED, RUNNING, PAUSED) and cancels its pending entries. Any other move throws
 * {@link IllegalStateTransitionException}. Transitions are compare-and-set in the store, so a batch being
 * enqueued concurrently never brings a paused or cancelled campaign back.
 *
 * <p>Targets are streamed from the named {@code TargetSource}, one batch at a time from the campaign's
 * cursor; the cursor is stored after each batch, so after a restart the campaign resumes where it stopped.
 * A number appearing twice among the targets is sent once.
 */
public final class Campaigns {
  private static final Logger LOG = LoggerFactory.getLogger(Campaigns.class);
  private static final int CANCEL_ATTEMPTS = 8;

  private final CampaignRuntime runtime;
  private final NotificationStore store;
  private final CampaignRunner runner;

  Campaigns(CampaignRuntime runtime) {
    this.runtime = runtime;
    this.store = runtime.store();
    this.runner = new CampaignRunner(runtime);
  }

  /**
   * Stores a new campaign in DRAFT.
   *
   * @return the campaign's id
   * @throws InvalidDefinitionException when the target source, the rule or the template is unknown (nothing is stored)
   */
  public String create(CampaignSpec spec) {
    if (spec == null) throw new IllegalArgumentException("campaign spec must not be null");
    validate(spec.name(), spec.targetSource(), spec.ruleName().orElse(null), spec.templateKey().orElse(null));
    Instant now = runtime.clock().instant();
    Campaign c = Campaign.builder(Ids.next(), spec.name())
        .description(spec.description().orElse(null))
        .ruleName(spec.ruleName().orElse(null))
        .templateKey(spec.templateKey().orElse(null))
        .targetSource(spec.targetSource())
        .targetParams(spec.targetParams())
        .scheduledAt(spec.scheduledAt().orElse(null))
        .batchSize(spec.batchSize())
        .batchInterval(spec.batchInterval())
        .skipRecipientsInAddressBook(spec.skipRecipientsInAddressBook())
        .state(CampaignState.DRAFT)
        .createdAt(now).updatedAt(now)
        .build();
    store.saveCampaign(c);
    LOG.info("campaign '{}' ({}) created: source '{}', batch {} every {}, skipRecipientsInAddressBook={}", c.name(), c.id(),
        c.targetSource(), c.batchSize(), c.batchInterval(), c.skipRecipientsInAddressBook());
    return c.id();
  }

  /**
   * Starts a DRAFT campaign: SCHEDULED if its scheduledAt is in the future, else RUNNING with its first batch
   * enqueued on the calling thread. If that batch fails (say the target source throws), the exception
   * propagates, the campaign stays RUNNING at its cursor and the {@code campaign-batches} job tries again.
   *
   * @return the state it moved to
   * @throws IllegalArgumentException for an unknown id
   * @throws IllegalStateTransitionException when it is not a DRAFT
   * @throws InvalidDefinitionException when its target source, rule or template no longer exists
   */
  public CampaignState start(String id) {
    Campaign c = require(id);
    if (c.state() != CampaignState.DRAFT) throw illegal(c, "start");
    validate(c.name(), c.targetSource(), c.ruleName(), c.templateKey());
    Instant now = runtime.clock().instant();
    CampaignState next = c.scheduledAt() != null && c.scheduledAt().isAfter(now) ? CampaignState.SCHEDULED : CampaignState.RUNNING;
    if (!store.transitionCampaign(id, CampaignState.DRAFT, next, now)) throw illegal(require(id), "start");
    LOG.info("campaign '{}' ({}) started: {}{}; skipRecipientsInAddressBook={}", c.name(), c.id(), next,
        next == CampaignState.SCHEDULED ? " until " + c.scheduledAt() : "", c.skipRecipientsInAddressBook());
    if (next == CampaignState.RUNNING) runner.runBatch(id);
    return next;
  }

  /**
   * Pauses a RUNNING campaign: no new batch is enqueued and its pending entries are held until {@link #resume}.
   *
   * @throws IllegalArgumentException for an unknown id
   * @throws IllegalStateTransitionException when it is not RUNNING
   */
  public void pause(String id) {
    Campaign c = require(id);
    if (c.state() != CampaignState.RUNNING
        || !store.transitionCampaign(id, CampaignState.RUNNING, CampaignState.PAUSED, runtime.clock().instant())) {
      throw illegal(c.state() == CampaignState.RUNNING ? require(id) : c, "pause");
    }
    LOG.info("campaign '{}' ({}) paused", c.name(), c.id());
  }

  /**
   * Resumes a PAUSED campaign: its held entries are sent again and, when a batch is due, it is enqueued now.
   *
   * @throws IllegalArgumentException for an unknown id
   * @throws IllegalStateTransitionException when it is not PAUSED
   */
  public void resume(String id) {
    Campaign c = require(id);
    if (c.state() != CampaignState.PAUSED
        || !store.transitionCampaign(id, CampaignState.PAUSED, CampaignState.RUNNING, runtime.clock().instant())) {
      throw illegal(c.state() == CampaignState.PAUSED ? require(id) : c, "resume");
    }
    LOG.info("campaign '{}' ({}) resumed", c.name(), c.id());
    runtime.wakeDispatcher().run();
    runner.runBatchIfDue(id);
  }

  /**
   * Cancels an open campaign (DRAFT, SCHEDULED, RUNNING or PAUSED) and its PENDING entries (each logged
   * CANCELLED with reason {@code campaign_cancelled}). Entries already being sent finish; no entry of the
   * campaign is claimed again, and the {@code campaign-batches} job cancels those left open later (a retry of
   * an entry that was being sent, or all of them if the process stopped between the campaign and its entries).
   *
   * @return how many entries were cancelled
   * @throws IllegalArgumentException for an unknown id
   * @throws IllegalStateTransitionException when it is COMPLETED or CANCELLED already
   */
  public int cancel(String id) {
    for (int i = 0; i < CANCEL_ATTEMPTS; i++) {
      Campaign c = require(id);
      if (!c.state().isOpen()) throw illegal(c, "cancel");
      Instant now = runtime.clock().instant();
      if (store.transitionCampaign(id, c.state(), CampaignState.CANCELLED, now)) {
        int n = store.cancelCampaignEntries(id, now);
        LOG.info("campaign '{}' ({}) cancelled from {}: {} pending entries cancelled", c.name(), c.id(), c.state(), n);
        return n;
      }
    }
    throw new IllegalStateTransitionException("campaign " + id + " kept changing state; cannot cancel, try again");
  }

  /** The campaign, if stored. */
  public Optional<Campaign> find(String id) {
    if (id == null) return Optional.empty();
    return store.findCampaign(id);
  }

  /** All stored campaigns, oldest first. */
  public List<Campaign> list() { return store.campaigns(); }

  /**
   * Where the campaign is. A RUNNING campaign whose targets are all read and whose entries are all finished
   * is completed by this call.
   *
   * @throws IllegalArgumentException for an unknown id
   */
  public CampaignProgress progress(String id) {
    Campaign c = require(id);
    if (runner.completeIfDone(c)) c = require(id);
    Map<EntryState, Long> counts = store.countByState(id);
    long pending = counts.getOrDefault(EntryState.PENDING, 0L) + counts.getOrDefault(EntryState.PROCESSING, 0L);
    long sent = counts.getOrDefault(EntryState.SENT, 0L);
    long failed = counts.getOrDefault(EntryState.FAILED, 0L);
    long cancelled = counts.getOrDefault(EntryState.CANCELLED, 0L);
    long skipped = counts.getOrDefault(EntryState.SKIPPED, 0L) + c.skippedInAddressBook();
    long queued = pending + sent + failed + cancelled + counts.getOrDefault(EntryState.SKIPPED, 0L);
    long targets = queued + c.skippedInAddressBook();
    long finished = sent + failed + skipped + cancelled;
    double percent = targets == 0 ? (c.exhausted() ? 100.0 : 0.0) : Math.min(100.0, 100.0 * finished / targets);
    return new CampaignProgress(id, c.state(), c.exhausted(), targets, queued, pending, sent, failed, skipped,
        c.skippedInAddressBook(), cancelled, c.duplicates(), percent);
  }

  /**
   * The body of the {@code campaign-batches} job: starts SCHEDULED campaigns whose time has come, enqueues one
   * batch of each RUNNING campaign whose next batch is due, completes finished ones.
   *
   * @return entries queued
   */
  public int runDueBatches() { return runner.runDue(); }

  /**
   * Enqueues the next batch of a RUNNING campaign now, without waiting for its batch interval (for operators
   * and bulk loads). Does nothing for a campaign that is not RUNNING.
   *
   * @return entries queued
   * @throws IllegalArgumentException for an unknown id
   */
  public int runBatch(String id) {
    require(id);
    return runner.runBatch(id);
  }

  private Campaign require(String id) {
    if (id == null) throw new IllegalArgumentException("campaign id must not be null");
    return store.findCampaign(id).orElseThrow(() -> new IllegalArgumentException("unknown campaign '" + id + "'"));
  }

  private void validate(String name, String source, String rule, String template) {
    if (!runtime.targetSources().containsKey(source)) {
      throw new InvalidDefinitionException("campaign '" + name + "' names target source '" + source
          + "' but none is registered on the engine builder (targetSource(name, source)); registered: "
          + runtime.targetSources().keySet().stream().sorted().toList());
    }
    if (rule != null && runtime.definitions().rule(rule).isEmpty()) {
      throw new InvalidDefinitionException("campaign '" + name + "' names unknown rule '" + rule + "'");
    }
    if (template != null && runtime.templates().find(template).isEmpty()) {
      throw new InvalidDefinitionException("campaign '" + name + "' names unknown template '" + template + "'");
    }
  }

  private static IllegalStateTransitionException illegal(Campaign c, String action) {
    return new IllegalStateTransitionException("campaign '" + c.name() + "' (" + c.id() + ") is " + c.state()
        + "; cannot " + action);
  }
}
