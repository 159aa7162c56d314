package dev.notify.core;

import dev.notify.core.internal.Backoff;
import dev.notify.core.internal.ChangeDetector;
import dev.notify.core.internal.Check;
import dev.notify.core.internal.CompiledRule;
import dev.notify.core.internal.CompiledTrigger;
import dev.notify.core.internal.Definitions;
import dev.notify.core.internal.Dispatcher;
import dev.notify.core.internal.EntryProcessor;
import dev.notify.core.internal.FirePlan;
import dev.notify.core.internal.FireProcessor;
import dev.notify.core.internal.Ids;
import dev.notify.core.internal.InMemoryTemplates;
import dev.notify.core.internal.Phones;
import dev.notify.core.internal.ProviderRouter;
import dev.notify.core.internal.analytics.StoreAnalytics;
import dev.notify.core.internal.expr.ExpressionCompiler;
import dev.notify.core.internal.jobs.JobConfig;
import dev.notify.core.internal.jobs.JobScheduler;
import dev.notify.core.internal.jobs.LogCleanupJob;
import dev.notify.core.internal.metrics.NotifyMetrics;
import dev.notify.core.spi.AddressBook;
import dev.notify.core.spi.ContextPreparer;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.RecipientDirectory;
import dev.notify.core.spi.RecordSource;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.TargetSource;
import dev.notify.core.spi.TemplateRegistry;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification engine a host application embeds. Build it once with {@link #builder()}, {@link #start()}
 * it, call {@link #fire} where things happen, and {@link #close()} it on shutdown.
 *
 * <p>{@code fire} runs on the caller's thread and only matches, evaluates and enqueues; sending happens on
 * the engine's workers. Thread-safe.
 */
public final class NotificationEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationEngine.class);

  private final Clock clock;
  private final ZoneId zone;
  private final NotificationStore store;
  private final Phones phones;
  private final InMemoryTemplates templates;
  private final Definitions definitions;
  private final FireProcessor fireProcessor;
  private final ProviderRouter router;
  private final EntryProcessor entryProcessor;
  private final Dispatcher dispatcher;
  private final boolean backgroundDispatch;
  private final Duration shutdownTimeout;
  // copies of what the builder held at build(): a builder used again afterwards does not change this engine
  private final List<Trigger> builderTriggers;
  private final List<Rule> builderRules;
  private final Map<String, RecordSource> recordSources;
  /** Job names given to the builder's jobCron and jobEnabled: each must name a job at start. */
  private final java.util.Set<String> configuredJobs;
  /** The names in the properties and, when it can be listed, the environment: checked for job settings naming no job. */
  private final java.util.Set<String> propertyNames;
  private final java.util.function.Supplier<java.util.Set<String>> environmentNames;
  private final Triggers triggers;
  private final Rules rules;
  private final Blacklist blacklist;
  private final Webhooks webhooks;
  private final NotifyMetrics metrics;
  private final Campaigns campaigns;
  private final dev.notify.core.internal.EnqueueBatcher enqueueBatcher;
  private final JobConfig jobConfig;
  private final JobScheduler jobScheduler;
  private final ScheduledExecutorService jobTimer;
  private final ExecutorService jobRunner;
  private final boolean backgroundJobs;
  private final Analytics analytics;
  private final AtomicBoolean started = new AtomicBoolean();
  private final Object startLock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();

  private NotificationEngine(Builder b) {
    this.builderTriggers = List.copyOf(b.triggers);
    this.builderRules = List.copyOf(b.rules);
    this.recordSources = Map.copyOf(b.recordSources);
    java.util.Set<String> configured = new java.util.TreeSet<>(b.jobCrons.keySet());
    configured.addAll(b.jobEnabled.keySet());
    this.configuredJobs = java.util.Collections.unmodifiableSet(configured);
    this.propertyNames = java.util.Set.copyOf(b.properties.stringPropertyNames());
    this.environmentNames = b.envNames != null ? b.envNames : java.util.Set::of;
    Map<String, ContextPreparer> preparers = Map.copyOf(b.preparers);
    this.clock = b.clock;
    this.zone = b.zone;
    this.store = b.store != null ? b.store : InMemoryStore.create();
    this.phones = new Phones(b.defaultRegion);
    this.templates = new InMemoryTemplates(b.templates, b.templateRegistry);
    this.metrics = b.meterRegistry == null ? NotifyMetrics.noop() : NotifyMetrics.create(b.meterRegistry);
    Map<String, WhatsAppProvider> providers = resolveProviders(b);
    this.router = new ProviderRouter(providers, clock, b.circuitFailures, b.circuitOpenFor);
    ExpressionCompiler compiler = new ExpressionCompiler(10_000);
    this.definitions = new Definitions(store, compiler, templates, preparers::containsKey, recordSources::containsKey,
        router::has, t -> validateCron(t), phone -> phones.normalize(phone).isPresent());
    this.enqueueBatcher = new dev.notify.core.internal.EnqueueBatcher(store);
    this.fireProcessor = new FireProcessor(definitions, compiler, phones, clock, zone, b.directory, preparers);
    Backoff backoff = new Backoff(b.retryBase, b.retryMax, b.retryJitter, () -> ThreadLocalRandom.current().nextDouble());
    Map<String, Integer> mps = new LinkedHashMap<>();
    providers.keySet().forEach(id -> { if (id.equals("meta")) mps.put(id, 80); });
    mps.putAll(b.providerMps);
    mps.keySet().retainAll(providers.keySet());
    this.entryProcessor = new EntryProcessor(definitions, store, templates, router, backoff, clock, mps, b.blacklistCacheTtl, metrics);
    // 64 random bits: two processes started with one node id (the default "node" when HOSTNAME is not set) must
    // never share a lease owner, or one could complete, or release on close, the other's claims
    String owner = b.nodeId + "-" + String.format("%016x", new java.security.SecureRandom().nextLong());
    ExecutorService pool = b.sendExecutor != null ? b.sendExecutor
        : Executors.newFixedThreadPool(b.workers, threads("notify-send"));
    Map<String, String> jobSettings = new LinkedHashMap<>();
    b.jobCrons.forEach((job, cron) -> jobSettings.put(JobConfig.propertyName(job, "cron"), cron));
    b.jobEnabled.forEach((job, on) -> jobSettings.put(JobConfig.propertyName(job, "enabled"), on.toString()));
    if (b.logRetention != null) jobSettings.put(JobConfig.LOG_RETENTION_DAYS, Long.toString(b.logRetention.toDays()));
    if (b.idlePoll != null) jobSettings.put(JobConfig.DISPATCH_IDLE_POLL, b.idlePoll.toString());
    this.jobConfig = new JobConfig(jobSettings, b.properties::getProperty, b.env);
    this.dispatcher = new Dispatcher(store, entryProcessor, clock, owner, b.batchSize, b.workers, b.lease,
        jobConfig.dispatchIdlePoll(), b.claimLinger, pool);
    this.backgroundJobs = b.backgroundJobs;
    this.jobTimer = Executors.newSingleThreadScheduledExecutor(threads("notify-job-timer"));
    this.jobRunner = Executors.newCachedThreadPool(threads("notify-job"));
    // without background jobs, runDueJobs() runs each due job on the calling thread (deterministic for tests)
    this.jobScheduler = new JobScheduler(clock, store, jobTimer, backgroundJobs ? jobRunner : Runnable::run, owner, zone);
    this.analytics = new StoreAnalytics(store, clock, zone);
    this.backgroundDispatch = b.backgroundDispatch;
    this.shutdownTimeout = b.shutdownTimeout;
    this.triggers = new Triggers(definitions, this);
    this.rules = new Rules(definitions);
    this.blacklist = new Blacklist(store, phones, clock, entryProcessor);
    this.webhooks = new Webhooks(router, store, blacklist, phones, b.stopWords, clock);
    this.campaigns = new Campaigns(new dev.notify.core.internal.campaign.CampaignRuntime(store, clock, zone, fireProcessor,
        definitions, phones, templates, Map.copyOf(b.targetSources), b.addressBook, dispatcher::wake, jobRunner,
        b.campaignEnqueueLanes, metrics::skipped));
  }

  /** A new builder with the defaults: in-memory store, region ID, system clock, two send workers. */
  public static Builder builder() { return new Builder(); }

  /**
   * Starts the store (migrations), loads stored definitions, registers the builder's definitions and starts
   * dispatching. Idempotent. If it fails (say the database is unreachable), it may be called again.
   *
   * @throws InvalidDefinitionException when a definition given to the builder is invalid
   * @throws InvalidCronException when a job's cron (an engine job's, or a CRON trigger's own or configured one) is
   *     invalid, naming the job, the expression and where it came from; checked before anything is saved
   * @throws IllegalArgumentException when a job setting from properties or the environment (an enabled flag, the
   *     log retention) cannot be read, naming where it came from; checked before anything is saved
   */
  public NotificationEngine start() {
    synchronized (startLock) {
      if (closed.get()) throw new IllegalStateException("engine is closed");
      if (started.get()) return this;
      // each step can run again after a start that failed part way
      store.start();
      EngineJobSettings jobSettings = readJobSettings(); // before the first write: a bad value changes nothing
      for (Trigger t : builderTriggers) definitions.saveTrigger(t);
      loadStoredDefinitions();
      for (Rule r : builderRules) definitions.saveRule(r);
      registerJobs(jobSettings);
      warnOfUnknownConfiguredJobs();
      metrics.registerQueueDepth(() -> store.queueDepth(clock.instant()));
      if (backgroundDispatch) dispatcher.start(threads("notify-dispatch"));
      if (backgroundJobs) jobScheduler.start();
      started.set(true);
    }
    LOG.info("notify engine started: node {}, providers {}, store {}", dispatcher.owner(),
        router.all().stream().map(WhatsAppProvider::id).toList(), store.getClass().getSimpleName());
    return this;
  }

  /**
   * Before, jobCron("campaign-batchs", ...) was accepted and changed nothing, silently. A warning, not a refusal: the
   * name may be a CRON trigger an operator deleted at run time, and every node's next start would fail.
   */
  private void warnOfUnknownConfiguredJobs() {
    java.util.Set<String> known = new java.util.TreeSet<>();
    for (JobInfo j : jobScheduler.list()) known.add(j.name());
    for (Trigger t : definitions.triggers()) if (t.type() == TriggerType.CRON) known.add(t.code()); // inactive ones too
    java.util.Set<String> unknown = new java.util.TreeSet<>(configuredJobs);
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      LOG.warn("jobCron/jobEnabled name no job: {}; the jobs are {} (an engine job or a CRON trigger's code)", unknown, known);
    }
    // before, a misspelled notify.job.<name>.cron or NOTIFY_JOB_<NAME>_CRON was ignored, silently
    List<String> settings = jobConfig.settingsNamingNoJob(known, propertyNames, environmentNames.get());
    if (!settings.isEmpty()) {
      LOG.warn("job settings name no job: {}; the jobs are {} (settings: notify.job.<job>.cron and .enabled, "
          + "NOTIFY_JOB_<JOB>_CRON and _ENABLED)", settings, known);
    }
  }

  /** The engine jobs' settings, read from the builder, properties and environment, and checked. */
  private record EngineJobSettings(boolean dispatchEnabled, String campaignBatchesCron, boolean campaignBatchesEnabled,
                                   String logCleanupCron, boolean logCleanupEnabled, Duration logRetention) {}

  /**
   * Reads and checks every job setting start() uses, writing nothing. Before, registerJobs() read them after the
   * builder's triggers and rules were saved: an invalid NOTIFY_JOB_CAMPAIGN_BATCHES_CRON failed start() with the
   * definitions written, and with a shared store a node that could not start changed what the others send by.
   * The CRON triggers checked are the builder's and the stored ones the builder does not replace.
   *
   * @throws InvalidCronException naming the job, the expression and where it came from
   * @throws IllegalArgumentException for an unreadable enabled flag or log retention, naming where it came from
   */
  private EngineJobSettings readJobSettings() {
    EngineJobSettings settings = new EngineJobSettings(
        jobConfig.enabled(JobConfig.QUEUE_DISPATCH, true),
        jobConfig.schedule(JobConfig.CAMPAIGN_BATCHES, JobConfig.DEFAULT_CAMPAIGN_BATCHES_CRON, zone).expression(),
        jobConfig.enabled(JobConfig.CAMPAIGN_BATCHES, true),
        jobConfig.schedule(JobConfig.LOG_CLEANUP, JobConfig.DEFAULT_LOG_CLEANUP_CRON, zone).expression(),
        jobConfig.enabled(JobConfig.LOG_CLEANUP, true),
        jobConfig.logRetention());
    Map<String, Trigger> toRegister = new LinkedHashMap<>();
    for (Trigger t : store.triggers()) toRegister.put(t.code(), t);
    for (Trigger t : builderTriggers) toRegister.put(t.code(), t);
    for (Trigger t : toRegister.values()) {
      if (t.type() != TriggerType.CRON) continue;
      validateCron(t);
      if (t.active()) jobConfig.enabled(t.code(), true); // what registerCronTrigger reads
    }
    return settings;
  }

  private void registerJobs(EngineJobSettings settings) {
    // a start that failed part way may have registered some of them
    for (String job : List.of(JobConfig.QUEUE_DISPATCH, JobConfig.CAMPAIGN_BATCHES, JobConfig.LOG_CLEANUP)) jobScheduler.unregister(job);
    jobScheduler.registerContinuous(JobConfig.QUEUE_DISPATCH, "claims due entries; woken at once by a local fire",
        dispatcher::wake, settings.dispatchEnabled());
    jobScheduler.register(JobConfig.CAMPAIGN_BATCHES, settings.campaignBatchesCron(), campaigns::runDueBatches,
        settings.campaignBatchesEnabled());
    jobScheduler.register(JobConfig.LOG_CLEANUP, settings.logCleanupCron(), new LogCleanupJob(store, clock, settings.logRetention()),
        settings.logCleanupEnabled());
    for (Trigger t : definitions.triggers()) registerCronTrigger(t, true);
    dispatcher.enabledWhen(() -> jobScheduler.isActive(JobConfig.QUEUE_DISPATCH));
  }

  /** (Re)registers the job of a CRON trigger; the job name is the trigger code. */
  void registerCronTrigger(Trigger t) { registerCronTrigger(t, false); }

  /**
   * At start, a tick missed while the engine was down is caught up; at run time (a trigger saved) the first tick
   * is the next after now unless the schedule is unchanged. Before, a trigger whose schedule was changed, or that
   * was made active again or created again, ran at once a tick counted from its old last run.
   */
  private void registerCronTrigger(Trigger t, boolean atStart) {
    if (t.type() != TriggerType.CRON || !t.active()) {
      jobScheduler.unregister(t.code());
      return;
    }
    String cron = jobConfig.cron(t.code(), t.cron().orElseThrow());
    Runnable task = () -> runCronTrigger(t.code());
    if (atStart) {
      jobScheduler.unregister(t.code());
      jobScheduler.register(t.code(), cron, task, jobConfig.enabled(t.code(), true));
    } else {
      jobScheduler.replace(t.code(), cron, task, jobConfig.enabled(t.code(), true));
    }
  }

  void unregisterCronTrigger(String code) { jobScheduler.unregister(code); }

  /**
   * One tick of a CRON trigger: every record its RecordSource yields goes through the trigger's rules.
   *
   * @return entries queued
   */
  int runCronTrigger(String code) {
    CompiledTrigger t = definitions.trigger(code).orElseThrow(() -> new UnknownTriggerException("unknown trigger '" + code + "'"));
    RecordSource source = recordSources.get(t.trigger().source().orElseThrow());
    int queued = 0;
    Instant now = clock.instant();
    FirePlan chunk = new FirePlan();
    int records = 0;
    try (Stream<?> stream = source.records(Map.of())) {
      var it = stream.iterator();
      while (it.hasNext()) {
        chunk.addAll(fireProcessor.plan(t, it.next(), null, Map.of(), now));
        if (++records % 500 == 0) {
          queued += commit(chunk, now, null).queuedCount();
          chunk = new FirePlan();
        }
      }
    }
    queued += commit(chunk, now, null).queuedCount();
    LOG.info("cron trigger '{}': {} records, {} entries queued", code, records, queued);
    return queued;
  }

  private void loadStoredDefinitions() {
    try {
      definitions.loadFromStore();
    } catch (NotifyException e) {
      throw new InvalidDefinitionException("a stored definition is no longer valid: " + e.getMessage(), e);
    }
  }

  // ---- fire ----

  /**
   * Evaluates the trigger's rules for the event and enqueues what they produce. Cheap: no provider call.
   * Problems of a single rule (an expression failing on this record, an invalid phone) are reported in the
   * result, not thrown.
   *
   * @throws UnknownTriggerException when no trigger has that code
   * @throws StoreException when the queue, or in the host's transaction the fire's skip logs, could not be written:
   *     without a transaction nothing was queued; in the host's transaction, roll it back (its entries would otherwise
   *     commit with it, and after a deadlock on H2 or MariaDB the database has already rolled all of it back)
   */
  public FireResult fire(TriggerEvent event) {
    Check.notNull(event, "event");
    requireStarted();
    CompiledTrigger t = definitions.trigger(event.triggerCode())
        .orElseThrow(() -> new UnknownTriggerException("unknown trigger '" + event.triggerCode() + "'; known: "
            + definitions.triggers().stream().map(Trigger::code).sorted().toList()));
    Instant now = clock.instant();
    FirePlan plan = fireProcessor.plan(t, event.record(), event.old().orElse(null), event.params(), now);
    return commit(plan, now, event.transaction().orElse(null));
  }

  /** {@code fire(TriggerEvent.builder(code).record(record).params(params).build())}. */
  public FireResult fire(String triggerCode, Object record, Map<String, ?> params) {
    return fire(TriggerEvent.builder(triggerCode).record(record).params(params).build());
  }

  /**
   * Reports a change of a host record and fires every active ON_* trigger of {@code entity} that matches:
   * ON_CREATE when {@code before} is null, ON_UPDATE on any change, ON_STATE_CHANGE and ON_FIELD_CHANGE
   * when that field changed (and, for state, from/to match).
   */
  public FireResult recordChanged(String entity, Object before, Object after) {
    requireStarted();
    Check.notBlank(entity, "entity");
    Check.notNull(after, "after");
    Instant now = clock.instant();
    FirePlan all = new FirePlan();
    for (CompiledTrigger t : definitions.triggersOfEntity(entity)) {
      if (ChangeDetector.matches(t.trigger(), before, after)) {
        all.addAll(fireProcessor.plan(t, after, before, Map.of(), now));
      }
    }
    return commit(all, now, null);
  }

  private FireResult commit(FirePlan plan, Instant now, Object transaction) {
    List<QueueEntry> queued = plan.entries.isEmpty() ? List.of()
        : transaction != null ? store.enqueue(plan.entries, now, transaction) : enqueueBatcher.enqueue(plan.entries, now);
    List<FireResult.Skip> skips = plan.skips;
    if (queued.size() < plan.entries.size()) {
      skips = new ArrayList<>(plan.skips);
      Set<String> ids = new HashSet<>();
      for (QueueEntry q : queued) ids.add(q.id());
      for (var ne : plan.entries) {
        if (!ids.contains(ne.entry().id())) {
          fireProcessor.releaseBatchSlot(ne.entry().ruleName(), ne.entry().scheduledAt());
          skips.add(new FireResult.Skip(ne.entry().ruleName(), "duplicate", "dedupe key seen within the window for "
              + Phones.mask(ne.entry().recipient().phone())));
        }
      }
    }
    if (!plan.logs.isEmpty()) {
      try {
        // in the host's transaction, as the queue rows are: a rolled-back business change leaves no skip log behind
        if (transaction != null) store.appendLogs(plan.logs, transaction);
        else store.appendLogs(plan.logs);
      } catch (RuntimeException e) {
        // with entries queued and committed, failing the call would tell the caller that nothing was queued, and a
        // retry would queue them twice: only the skip logs are lost. In the host's transaction nothing is committed
        // yet, and the failure may have rolled that transaction back whole (a deadlock): the host must hear of it,
        // or it commits and believes its change and the notification stored
        if (queued.isEmpty() || transaction != null) throw e;
        LOG.error("{} skip logs of a fire that queued {} entries could not be written: {}", plan.logs.size(), queued.size(),
            e.toString());
      }
      for (DeliveryLog l : plan.logs) metrics.skipped(l.reason());
    }
    if (!queued.isEmpty()) {
      if (transaction != null) dispatcher.wakeForHostTransaction();
      else dispatcher.wake();
    }
    return new FireResult(queued, skips);
  }

  // ---- operators ----

  /**
   * What {@code ruleName} would send for {@code sampleRecord} (as the record of its trigger), without queuing;
   * {@code old} is null, as for a created record. {@code preview(ruleName, sampleRecord, null)}.
   *
   * @throws InvalidDefinitionException when no rule has that name
   */
  public Preview preview(String ruleName, Object sampleRecord) {
    return preview(ruleName, sampleRecord, null);
  }

  /**
   * What {@code ruleName} would send for a change of a record from {@code sampleOld} to {@code sampleRecord}
   * (the {@code old} and {@code record} of its expressions), without queuing. For a rule whose condition reads
   * {@code old}, e.g. {@code old != null && old.state == 'draft'}.
   *
   * @param sampleOld the record before the change; null for a created record
   * @throws InvalidDefinitionException when no rule has that name
   */
  public Preview preview(String ruleName, Object sampleRecord, Object sampleOld) {
    requireStarted();
    CompiledRule cr = definitions.rule(ruleName).orElseThrow(() -> new InvalidDefinitionException("unknown rule '" + ruleName + "'"));
    Trigger t = definitions.trigger(cr.rule().trigger()).map(CompiledTrigger::trigger).orElse(null);
    Instant now = clock.instant();
    FirePlan plan = new FirePlan();
    Map<String, Object> vars = fireProcessor.variables(t, sampleRecord, sampleOld, Map.of(), now);
    fireProcessor.planRule(cr, vars, sampleRecord, Map.of(), now, null, null, plan);
    // nothing is queued: give back the BATCH places the plan took (before, previews pushed real sends an interval out)
    for (var ne : plan.entries) fireProcessor.releaseBatchSlot(ne.entry().ruleName(), ne.entry().scheduledAt());
    MessageTemplate template = templates.find(cr.rule().templateKey())
        .orElseThrow(() -> new UnknownTemplateException("template '" + cr.rule().templateKey() + "' is not registered"));
    List<Preview.Message> messages = new ArrayList<>();
    List<FireResult.Skip> skips = new ArrayList<>(plan.skips);
    for (var ne : plan.entries) {
      QueueEntry e = ne.entry();
      try {
        messages.add(new Preview.Message(e.recipient().phone(), e.recipient().name(), template.render(e.context()), e.context()));
      } catch (TemplateRenderException ex) {
        skips.add(new FireResult.Skip(ruleName, "template_error", ex.getMessage()));
      }
    }
    return new Preview(ruleName, messages, skips);
  }

  /**
   * Renders a template with {@code values} and sends it now through the first available provider, bypassing
   * the queue (for operators checking a template or a number). The outcome is written to the delivery log.
   *
   * @throws UnknownTemplateException for an unknown key
   * @throws TemplateRenderException when a value is missing
   * @throws IllegalArgumentException for an invalid phone, or one on the blacklist (an opted-out citizen gets no
   *     test message either); nothing is sent
   */
  public SendResult testSend(String templateKey, String phone, Map<String, String> values) {
    Check.notNull(values, "template values");
    requireStarted();
    MessageTemplate template = templates.find(templateKey)
        .orElseThrow(() -> new UnknownTemplateException("template '" + templateKey + "' is not registered"));
    String e164 = phones.normalize(phone).orElseThrow(() -> new IllegalArgumentException("not a valid phone number: " + Phones.mask(phone)));
    if (blacklist.contains(e164)) {
      throw new IllegalArgumentException(Phones.mask(e164) + " is on the blacklist: no test message is sent to it");
    }
    String text = template.render(values);
    ProviderRouter.Pick pick = router.choose(List.of())
        .orElseThrow(() -> new ProviderConfigurationException("no provider is available (all circuits open)"));
    WhatsAppProvider provider = pick.provider();
    String id = Ids.next();
    long start = System.nanoTime();
    SendResult r = null;
    try {
      r = provider.send(new OutboundMessage(id, e164, null, text, templateKey, template.mapping(provider.id()).orElse(null), values, 1));
      if (r == null) r = SendResult.retryable("null_result", "provider returned no result");
    } catch (RuntimeException e) {
      r = SendResult.retryable("exception", e.getClass().getSimpleName());
    } finally {
      // a real call to the provider: its outcome counts for the circuit (and ends a half-open trial it took)
      if (r != null) router.report(pick, r);
      else router.release(pick);
    }
    EntryState state = r instanceof SendResult.Accepted ? EntryState.SENT : EntryState.FAILED;
    String reason = r instanceof SendResult.Permanent ? ((SendResult.Permanent) r).code()
        : r instanceof SendResult.Retryable ? ((SendResult.Retryable) r).code() : "test_send";
    String ext = r instanceof SendResult.Accepted ? ((SendResult.Accepted) r).externalId() : null;
    store.appendLogs(List.of(new DeliveryLog(id, null, null, null, e164, null, templateKey, state, reason, text, provider.id(),
        ext, 1, (System.nanoTime() - start) / 1_000_000, null, clock.instant())));
    return r;
  }

  /**
   * Claims and processes due entries on the calling thread until none is due; returns how many were
   * processed. For hosts that drive dispatch themselves ({@code backgroundDispatch(false)}) and for tests.
   */
  public int dispatchNow() {
    requireStarted();
    return dispatcher.drainOnCallingThread();
  }

  // The operations below need a started engine that is not closed (IllegalStateException otherwise): before
  // start(), a JDBC store would migrate on the first call, and jobs and definitions are not loaded yet.

  /** Triggers saved at run time: save, find, list, delete. @throws IllegalStateException before start() or after close() */
  public Triggers triggers() { requireStarted(); return triggers; }
  /** Rules saved at run time: save, find, list, delete. @throws IllegalStateException before start() or after close() */
  public Rules rules() { requireStarted(); return rules; }
  /** Opted-out numbers. @throws IllegalStateException before start() or after close() */
  public Blacklist blacklist() { requireStarted(); return blacklist; }
  /** Provider callbacks (delivery status, replies). @throws IllegalStateException before start() or after close() */
  public Webhooks webhooks() { requireStarted(); return webhooks; }
  /** Bulk campaigns: create, start, pause, resume, cancel, progress. @throws IllegalStateException before start() or after close() */
  public Campaigns campaigns() { requireStarted(); return campaigns; }
  /** Scheduled jobs: list, enable/disable, run now, history. @throws IllegalStateException before start() or after close() */
  public Jobs jobs() { requireStarted(); return jobScheduler; }
  /** Counts, success rate, processing times, queue depth. @throws IllegalStateException before start() or after close() */
  public Analytics analytics() { requireStarted(); return analytics; }

  /**
   * Runs every job whose tick is due now, on the calling thread's schedule (for hosts that drive the
   * scheduler themselves with {@code backgroundJobs(false)}, and for tests with an injected clock).
   */
  public void runDueJobs() {
    requireStarted();
    jobScheduler.runDueJobs();
  }
  /** The store this engine uses. */
  public NotificationStore store() { return store; }
  public Clock clock() { return clock; }
  public ZoneId zone() { return zone; }

  /** Adds or replaces a template in the engine's registry. */
  public void template(MessageTemplate template) { templates.put(Check.notNull(template, "template")); }

  private void requireStarted() {
    if (!started.get()) throw new IllegalStateException("engine not started: call start() first");
    if (closed.get()) throw new IllegalStateException("engine is closed");
  }

  /**
   * Stops dispatching, lets in-flight sends finish (up to the shutdown timeout), releases the leases of
   * anything unfinished so another node or the next start takes it, then closes providers and the store. The
   * {@code notify.queue.depth} gauge stops reading this engine's queue; it is removed from the meter registry once no
   * other engine open on it uses it, so an engine built next on it reports its own.
   */
  @Override public void close() {
    if (!closed.compareAndSet(false, true)) return;
    // before, the gauge stayed registered: an engine built next on the registry reported this one's queue
    metrics.close();
    jobScheduler.close();
    jobTimer.shutdownNow();
    jobRunner.shutdown();
    dispatcher.close(shutdownTimeout);
    try {
      // a running job (a campaign batch and its enqueue parts) finishes before the store closes
      if (!jobRunner.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("jobs still running after {}; closing the store under them", shutdownTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (WhatsAppProvider p : router.all()) {
      try {
        p.close();
      } catch (Exception e) {
        LOG.warn("closing provider '{}' failed: {}", p.id(), e.toString());
      }
    }
    try {
      store.close();
    } catch (Exception e) {
      LOG.warn("closing the store failed: {}", e.toString());
    }
    LOG.info("notify engine closed");
  }

  private void validateCron(Trigger t) {
    jobConfig.schedule(t.code(), t.cron().orElseThrow(), zone);
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static Map<String, WhatsAppProvider> resolveProviders(Builder b) {
    Map<String, WhatsAppProvider> out = new LinkedHashMap<>();
    Map<String, ProviderFactory> factories = null;
    for (Object p : b.providers) {
      if (p instanceof WhatsAppProvider) {
        WhatsAppProvider wp = (WhatsAppProvider) p;
        if (out.put(wp.id(), wp) != null) throw new ProviderConfigurationException("provider '" + wp.id() + "' is registered twice");
        continue;
      }
      String id = (String) p;
      if (factories == null) factories = discover();
      ProviderFactory f = factories.get(id);
      if (f == null) {
        throw new ProviderConfigurationException("provider '" + id + "' not found; on the classpath: " + factories.keySet()
            + " (add the notify-provider-" + id + " dependency, or register an instance with provider(WhatsAppProvider))");
      }
      Map<String, String> settings = b.providerSettings.getOrDefault(id, Map.of());
      ProviderConfig cfg = new ProviderConfig(id, settings, b.properties::getProperty, b.env);
      WhatsAppProvider wp = f.create(cfg);
      if (out.put(id, wp) != null) throw new ProviderConfigurationException("provider '" + id + "' is registered twice");
    }
    if (out.isEmpty()) throw new ProviderConfigurationException("no provider configured: call provider(\"fonnte\"), provider(\"meta\"), ... or provider(new RecordingProvider())");
    return out;
  }

  /** ServiceLoader discovery that never crashes the host: a broken factory is reported and skipped. */
  private static Map<String, ProviderFactory> discover() {
    Map<String, ProviderFactory> found = new LinkedHashMap<>();
    var it = ServiceLoader.load(ProviderFactory.class, NotificationEngine.class.getClassLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) break;
        ProviderFactory f = it.next();
        ProviderFactory prev = found.putIfAbsent(f.id(), f);
        if (prev != null) LOG.warn("two provider factories for '{}': {} and {}; using the first", f.id(), prev.getClass().getName(), f.getClass().getName());
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        LOG.warn("skipping a provider factory that failed to load: {}", e.toString());
      }
    }
    return found;
  }

  /**
   * Configures a {@link NotificationEngine}. Each setter validates its value ({@link IllegalArgumentException})
   * and settings that may be made once refuse a second call ({@link IllegalStateException}).
   */
  public static final class Builder {
    private NotificationStore store;
    private Clock clock = Clock.systemUTC();
    private ZoneId zone = ZoneId.systemDefault();
    private String defaultRegion = "ID";
    private final List<Object> providers = new ArrayList<>();
    private final Map<String, Map<String, String>> providerSettings = new LinkedHashMap<>();
    private final Map<String, Integer> providerMps = new LinkedHashMap<>();
    private RecipientDirectory directory = new RecipientDirectory() {
      @Override public List<Recipient> group(String name) { return List.of(); }
    };
    private AddressBook addressBook = phone -> false;
    private final Map<String, RecordSource> recordSources = new LinkedHashMap<>();
    private final Map<String, TargetSource> targetSources = new LinkedHashMap<>();
    private final Map<String, MessageTemplate> templates = new LinkedHashMap<>();
    private TemplateRegistry templateRegistry;
    private final List<Trigger> triggers = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, ContextPreparer> preparers = new LinkedHashMap<>();
    private int workers = 2;
    private int campaignEnqueueLanes = 4;
    private int batchSize = 256;
    private Duration lease = Duration.ofMinutes(5);
    private Duration idlePoll;
    private Duration claimLinger = Duration.ofMillis(2);
    private boolean backgroundDispatch = true;
    private boolean backgroundJobs = true;
    private ExecutorService sendExecutor;
    private Duration retryBase = Duration.ofSeconds(30);
    private Duration retryMax = Duration.ofHours(1);
    private double retryJitter = 0.2;
    private int circuitFailures = 5;
    private Duration circuitOpenFor = Duration.ofSeconds(30);
    private Duration blacklistCacheTtl = Duration.ofSeconds(5);
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private Properties properties = new Properties();
    private Function<String, String> env = System::getenv;
    /** The names in {@code env}, to warn of NOTIFY_JOB_* variables naming no job; null when it cannot be listed. */
    private java.util.function.Supplier<Set<String>> envNames = () -> System.getenv().keySet();
    private final Map<String, String> jobCrons = new LinkedHashMap<>();
    private final Map<String, Boolean> jobEnabled = new LinkedHashMap<>();
    private Duration logRetention;
    private Object meterRegistry;
    private String nodeId = defaultNodeId();
    private Set<String> stopWords = Webhooks.DEFAULT_STOP_WORDS;

    private Builder() {}

    private static String defaultNodeId() {
      String host = System.getenv("HOSTNAME");
      return (host == null || host.isBlank() ? "node" : host.replaceAll("[^A-Za-z0-9_.-]", ""));
    }

    /** The store; default {@link InMemoryStore#create()}. */
    public Builder store(NotificationStore store) {
      if (this.store != null) throw new IllegalStateException("store already set to " + this.store.getClass().getSimpleName());
      this.store = Check.notNull(store, "store");
      return this;
    }

    /** Time source for scheduling, rate windows, quiet hours and logs (default the system UTC clock; tests inject one). */
    public Builder clock(Clock clock) { this.clock = Check.notNull(clock, "clock"); return this; }

    /** Zone for cron schedules, {@code now} in expressions and analytics days; default the system zone. */
    public Builder zone(ZoneId zone) { this.zone = Check.notNull(zone, "zone"); return this; }

    /** Region for numbers written without a country code; default {@code ID} (Indonesia). */
    public Builder defaultRegion(String region) {
      Check.notBlank(region, "default region");
      String r = region.toUpperCase(Locale.ROOT);
      if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(r)) {
        throw new IllegalArgumentException("default region must be an ISO 3166 region code such as ID, got '" + region + "'");
      }
      this.defaultRegion = r;
      return this;
    }

    /** A provider found by ServiceLoader and configured from settings, properties or environment. Order = routing order. */
    public Builder provider(String id) {
      Check.notBlank(id, "provider id");
      if (providers.contains(id)) throw new IllegalStateException("provider '" + id + "' already added");
      providers.add(id);
      return this;
    }

    /** A provider instance; explicit registration wins over discovery. Order = routing order. */
    public Builder provider(WhatsAppProvider provider) {
      Check.notNull(provider, "provider");
      Check.notBlank(provider.id(), "provider id");
      providers.add(provider);
      return this;
    }

    /** A setting for a ServiceLoader provider, e.g. {@code providerSetting("fonnte", "token", t)}. */
    public Builder providerSetting(String providerId, String key, String value) {
      Check.notBlank(providerId, "provider id");
      Check.notBlank(key, "provider setting key");
      Check.notNull(value, "provider '" + providerId + "' setting '" + key + "'");
      providerSettings.computeIfAbsent(providerId, k -> new LinkedHashMap<>()).put(key, value);
      return this;
    }

    /** Messages per second a provider may take, cluster-wide when the store is shared (Meta defaults to 80). */
    public Builder providerRateLimit(String providerId, int messagesPerSecond) {
      Check.notBlank(providerId, "provider id");
      providerMps.put(providerId, Check.positive(messagesPerSecond, "provider '" + providerId + "' messages per second"));
      return this;
    }

    /** Where GROUP and CUSTOM recipients come from (your staff lists, officials, ...). */
    public Builder recipients(RecipientDirectory directory) { this.directory = Check.notNull(directory, "recipient directory"); return this; }
    /** Numbers a campaign with {@code skipRecipientsInAddressBook} leaves out (contacts the office already reaches). */
    public Builder addressBook(AddressBook addressBook) { this.addressBook = Check.notNull(addressBook, "address book"); return this; }

    /** The records a CRON trigger naming {@code name} goes through at each tick. Once per name. */
    public Builder recordSource(String name, RecordSource source) {
      Check.notBlank(name, "record source name");
      if (recordSources.putIfAbsent(name, Check.notNull(source, "record source '" + name + "'")) != null) {
        throw new IllegalStateException("record source '" + name + "' already registered");
      }
      return this;
    }

    /** The targets a campaign naming {@code name} sends to. Once per name. */
    public Builder targetSource(String name, TargetSource source) {
      Check.notBlank(name, "target source name");
      if (targetSources.putIfAbsent(name, Check.notNull(source, "target source '" + name + "'")) != null) {
        throw new IllegalStateException("target source '" + name + "' already registered");
      }
      return this;
    }

    /** A message template, by its key. Once per key. */
    public Builder template(MessageTemplate template) {
      Check.notNull(template, "template");
      if (templates.putIfAbsent(template.key(), template) != null) throw new IllegalStateException("template '" + template.key() + "' already added");
      return this;
    }

    /** A host registry consulted for keys not added with {@link #template}. */
    public Builder templates(TemplateRegistry registry) {
      if (templateRegistry != null) throw new IllegalStateException("template registry already set");
      this.templateRegistry = Check.notNull(registry, "template registry");
      return this;
    }

    /** A trigger saved (replacing one with its code) when the engine starts; see {@link NotificationEngine#start()}. */
    public Builder trigger(Trigger trigger) { triggers.add(Check.notNull(trigger, "trigger")); return this; }
    /** A rule saved (replacing one with its name) when the engine starts; see {@link NotificationEngine#start()}. */
    public Builder rule(Rule rule) { rules.add(Check.notNull(rule, "rule")); return this; }

    /** Java code that supplies template values for rules naming {@code name}. Once per name. */
    public Builder contextPreparer(String name, ContextPreparer preparer) {
      Check.notBlank(name, "context preparer name");
      if (preparers.putIfAbsent(name, Check.notNull(preparer, "context preparer '" + name + "'")) != null) {
        throw new IllegalStateException("context preparer '" + name + "' already registered");
      }
      return this;
    }

    /** Send worker threads (default 2). Raise it for slow providers: in-flight sends ≈ workers. */
    public Builder workers(int workers) {
      if (workers < 1 || workers > 1024) throw new IllegalArgumentException("workers must be between 1 and 1024, got " + workers);
      this.workers = workers;
      return this;
    }

    /**
     * How many store calls one campaign batch's enqueue may run at once (default 4). A batch is planned in parts
     * of {@code batchSize / (2 × lanes)} entries (at least 1,000), and each part is enqueued on a job thread as
     * soon as it is planned, so planning and the database's inserts overlap; each running part holds a store
     * connection. Running parts mostly wait for the database (its inserts and commit), so more lanes than local
     * processors pay off. 1 enqueues each batch in one call (one transaction) on the calling thread.
     */
    public Builder campaignEnqueueLanes(int lanes) {
      if (lanes < 1 || lanes > 64) throw new IllegalArgumentException("campaignEnqueueLanes must be between 1 and 64, got " + lanes);
      this.campaignEnqueueLanes = lanes;
      return this;
    }

    /** Entries claimed per store round trip (default 256). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > 10_000) throw new IllegalArgumentException("batch size must be between 1 and 10000, got " + batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /** How long a claimed entry stays ours before another node may take it (default 5 minutes). */
    public Builder lease(Duration lease) { this.lease = Check.positive(lease, "lease"); return this; }

    /** How often an idle dispatcher looks for due entries; a local fire wakes it at once (default 1 s). */
    public Builder idlePoll(Duration idlePoll) { this.idlePoll = Check.positive(idlePoll, "idle poll interval"); return this; }

    /**
     * After a claim that found fewer entries than a batch, the dispatcher waits this long before claiming
     * again, so entries fired one by one are claimed and stored in batches (default 2 ms; zero turns it off).
     */
    public Builder claimLinger(Duration linger) {
      Check.notNegative(linger, "claim linger");
      if (linger.compareTo(Duration.ofSeconds(1)) > 0) throw new IllegalArgumentException("claim linger must be at most 1 s, got " + linger);
      this.claimLinger = linger;
      return this;
    }

    /** false: no dispatcher thread; the host calls {@link NotificationEngine#dispatchNow()} (tests, own schedulers). */
    public Builder backgroundDispatch(boolean background) { this.backgroundDispatch = background; return this; }

    /** false: no job timer; the host calls {@link NotificationEngine#runDueJobs()} (tests, own schedulers). */
    public Builder backgroundJobs(boolean background) { this.backgroundJobs = background; return this; }

    /** The executor for sends; the engine shuts it down on close. Default: a fixed pool of {@link #workers} daemon threads. */
    public Builder sendExecutor(ExecutorService executor) { this.sendExecutor = Check.notNull(executor, "send executor"); return this; }

    /** Retry backoff: base * 2^(attempt-1), capped at max (defaults 30 s and 1 h), with ±jitter (default 0.2). */
    public Builder retryBackoff(Duration base, Duration max, double jitter) {
      Check.positive(base, "retry backoff base");
      Check.positive(max, "retry backoff max");
      if (max.compareTo(base) < 0) throw new IllegalArgumentException("retry backoff max " + max + " is below base " + base);
      if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("retry jitter must be in [0, 1), got " + jitter);
      this.retryBase = base;
      this.retryMax = max;
      this.retryJitter = jitter;
      return this;
    }

    /** A provider's circuit opens after {@code failures} retryable failures in a row, for {@code openFor} (defaults 5, 30 s). */
    public Builder circuitBreaker(int failures, Duration openFor) {
      this.circuitFailures = Check.positive(failures, "circuit failures");
      this.circuitOpenFor = Check.positive(openFor, "circuit open duration");
      return this;
    }

    /** How long a blacklist lookup may be cached by a node (default 5 s; zero disables). */
    public Builder blacklistCacheTtl(Duration ttl) { this.blacklistCacheTtl = Check.notNegative(ttl, "blacklist cache ttl"); return this; }

    /** How long {@link NotificationEngine#close()} waits for sends in flight before it stops them (default 10 s). */
    public Builder shutdownTimeout(Duration timeout) { this.shutdownTimeout = Check.notNegative(timeout, "shutdown timeout"); return this; }

    /** Settings as properties ({@code notify.<provider>.<key>}, {@code notify.job.<name>.cron}, ...). */
    public Builder properties(Properties properties) {
      Check.notNull(properties, "properties");
      Properties copy = new Properties();
      // stringPropertyNames() includes the defaults a Properties was made with (putAll would drop them)
      for (String name : properties.stringPropertyNames()) copy.setProperty(name, properties.getProperty(name));
      this.properties = copy;
      return this;
    }

    /**
     * Where environment variables are read from; default {@code System::getenv}. A function cannot be listed, so
     * {@code start()} does not warn of {@code NOTIFY_JOB_*} variables naming no job: {@link #environment(Map)} can.
     */
    public Builder environment(Function<String, String> env) {
      this.env = Check.notNull(env, "environment");
      this.envNames = null;
      return this;
    }

    /**
     * The environment variables as a map (copied), e.g. {@code System.getenv()} or a test's map. As
     * {@link #environment(Function)}, and {@code start()} warns of {@code NOTIFY_JOB_*} variables in it that name no
     * job (as it does for the default environment).
     */
    public Builder environment(Map<String, String> env) {
      Map<String, String> copy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Check.notNull(env, "environment")));
      this.env = copy::get;
      this.envNames = copy::keySet;
      return this;
    }

    /**
     * Overrides a job's cron schedule, e.g. {@code jobCron("campaign-batches", "*&#47;2 * * * *")}.
     *
     * @throws InvalidCronException naming the job and the expression, when it is not a valid cron expression
     */
    public Builder jobCron(String job, String cron) {
      Check.notBlank(job, "job name");
      Check.notBlank(cron, "job '" + job + "' cron");
      // checked here: at start() the builder's definitions would already be saved when the cron is found invalid
      dev.notify.core.internal.jobs.CronSchedule.parse(job, cron, java.time.ZoneOffset.UTC);
      jobCrons.put(job, cron);
      return this;
    }

    /** Turns a job (an engine job or a CRON trigger's code) on or off on this node; overrides properties and environment. */
    public Builder jobEnabled(String job, boolean enabled) { jobEnabled.put(Check.notBlank(job, "job name"), enabled); return this; }

    /**
     * How long the log-cleanup job keeps delivery logs, and finished queue entries of no campaign after their
     * last update (whole days; default 90 days).
     */
    public Builder logRetention(Duration retention) {
      Check.positive(retention, "log retention");
      // before, 47 hours was kept silently as 1 day, and 999,999,999 days overflowed at every cleanup
      if (retention.toDays() < 1 || retention.toDays() > JobConfig.MAX_LOG_RETENTION_DAYS
          || !retention.equals(Duration.ofDays(retention.toDays()))) {
        throw new IllegalArgumentException("log retention must be whole days between 1 and "
            + JobConfig.MAX_LOG_RETENTION_DAYS + ", got " + retention);
      }
      this.logRetention = retention;
      return this;
    }

    /** A Micrometer {@code MeterRegistry} (typed Object so Micrometer stays optional). */
    public Builder meterRegistry(Object registry) {
      Check.notNull(registry, "meter registry");
      if (!registry.getClass().getName().startsWith("io.micrometer") && !isMeterRegistry(registry)) {
        throw new IllegalArgumentException("meter registry must be an io.micrometer.core.instrument.MeterRegistry, got " + registry.getClass().getName());
      }
      this.meterRegistry = registry;
      return this;
    }

    private static boolean isMeterRegistry(Object o) {
      for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getName().equals("io.micrometer.core.instrument.MeterRegistry")) return true;
      }
      return false;
    }

    /** This node's name in leases and job runs (default: the HOSTNAME variable). */
    public Builder nodeId(String nodeId) { this.nodeId = Check.notBlank(nodeId, "node id"); return this; }

    /**
     * Inbound texts that opt a sender out; replaces the default set {@link Webhooks#DEFAULT_STOP_WORDS} (to add a word,
     * pass it together with those).
     */
    public Builder stopWords(Set<String> words) {
      Check.notNull(words, "stop words");
      if (words.isEmpty()) throw new IllegalArgumentException("stop words must not be empty");
      this.stopWords = words.stream().map(w -> Check.notBlank(w, "stop word").strip().toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
      return this;
    }

    /**
     * @throws ProviderConfigurationException when a provider is unknown or misconfigured (e.g. a blank token)
     */
    public NotificationEngine build() { return new NotificationEngine(this); }
  }
}
