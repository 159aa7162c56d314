package dev.notify.core;

import static dev.notify.core.EngineFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.spi.LogQuery;
import dev.notify.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineJobsTest {
  private final MutableClock clock = clock(); // 2026-03-02 09:00 Jakarta
  private final RecordingProvider provider = new RecordingProvider();
  private NotificationEngine engine;

  @AfterEach
  void close() {
    if (engine != null) engine.close();
  }

  private NotificationEngine.Builder base() {
    return builder(clock, provider).backgroundJobs(false)
        .template(MessageTemplate.of("expiry", "Izin {{no}} berakhir {{until}}"))
        .recordSource("expiring_permits", params -> Stream.of(
            Map.of("no", "A-1", "phone", "081200000001", "expiresOn", LocalDate.of(2026, 3, 20)),
            Map.of("no", "A-2", "phone", "081200000002", "expiresOn", LocalDate.of(2026, 3, 25))))
        .trigger(Trigger.cron("permit_expiry_daily", "0 9 * * *", "expiring_permits").build())
        .rule(Rule.builder("warn_expiry").trigger("permit_expiry_daily").recipients(Recipients.field("record.phone"))
            .context("no", "record.no").context("until", "record.expiresOn").template("expiry").build());
  }

  @Test
  void cronTrigger_isAJob_thatRunsItsRecordSourceThroughTheRulesAtEachTick() {
    engine = base().build().start();
    assertThat(engine.jobs().find("permit_expiry_daily")).hasValueSatisfying(j -> {
      assertThat(j.schedule()).isEqualTo("0 9 * * *");
      assertThat(j.nextRun()).isEqualTo(Instant.parse("2026-03-03T02:00:00Z"));
    });

    engine.runDueJobs();
    assertThat(engine.store().entries(null, 10)).isEmpty();

    clock.advance(Duration.ofDays(1));
    engine.runDueJobs();
    engine.dispatchNow();

    assertThat(provider.sent()).extracting(m -> m.text())
        .containsExactlyInAnyOrder("Izin A-1 berakhir 2026-03-20", "Izin A-2 berakhir 2026-03-25");
    assertThat(engine.jobs().history("permit_expiry_daily", 5)).singleElement().satisfies(r -> assertThat(r.succeeded()).isTrue());
  }

  /** Before, a second start() after a failed one returned at once: jobs from the failure on were never registered. */
  @Test
  void start_thatFailedPartWay_canBeCalledAgain_andRegistersEveryJob() {
    java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
    dev.notify.core.spi.NotificationStore store = new dev.notify.core.internal.ForwardingStore(InMemoryStore.create()) {
      @Override public java.util.Optional<JobState> jobState(String job) {
        if (failOnce.getAndSet(false)) throw new StoreException("connection reset");
        return super.jobState(job);
      }
    };
    engine = base().store(store).build();
    assertThatThrownBy(engine::start).isInstanceOf(StoreException.class).hasMessage("connection reset");

    engine.start();

    assertThat(engine.jobs().list()).extracting(JobInfo::name)
        .contains("queue-dispatch", "campaign-batches", "log-cleanup", "permit_expiry_daily");
  }

  /** Before, a store call failing at the tick lost it: a daily job then waited for the next day. */
  /** Before, the old job was removed, then a failed store read left the saved trigger without any job. */
  @Test
  void cronTriggerSavedAgainWhileTheStoreFailsReads_keepsItsJob() {
    java.util.concurrent.atomic.AtomicBoolean failReads = new java.util.concurrent.atomic.AtomicBoolean();
    dev.notify.core.spi.NotificationStore store = new dev.notify.core.internal.ForwardingStore(InMemoryStore.create()) {
      @Override public java.util.Optional<JobState> jobState(String job) {
        if (failReads.get()) throw new StoreException("connection reset");
        return super.jobState(job);
      }
    };
    engine = base().store(store).build().start();

    failReads.set(true);
    engine.triggers().save(Trigger.cron("permit_expiry_daily", "0 9 * * *", "expiring_permits").name("renamed").build());
    failReads.set(false);

    assertThat(engine.jobs().find("permit_expiry_daily")).hasValueSatisfying(j ->
        assertThat(j.nextRun()).isEqualTo(Instant.parse("2026-03-03T02:00:00Z")));
  }

  @Test
  void cronTick_whoseStoreCallFailed_isRunSoonAfter_notAtTheNextTick() {
    java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean();
    dev.notify.core.spi.NotificationStore store = new dev.notify.core.internal.ForwardingStore(InMemoryStore.create()) {
      @Override public boolean tryClaimTick(String job, Instant tick, String owner, Instant now, Instant leaseUntil) {
        if (job.equals("permit_expiry_daily") && failNext.getAndSet(false)) throw new StoreException("connection reset");
        return super.tryClaimTick(job, tick, owner, now, leaseUntil);
      }
    };
    engine = base().store(store).build().start();
    clock.advance(Duration.ofDays(1));
    failNext.set(true);
    engine.runDueJobs();
    engine.dispatchNow();
    assertThat(provider.sentCount()).isZero();

    clock.advance(Duration.ofSeconds(10));
    engine.runDueJobs();
    engine.dispatchNow();

    assertThat(provider.sent()).extracting(m -> m.text())
        .containsExactlyInAnyOrder("Izin A-1 berakhir 2026-03-20", "Izin A-2 berakhir 2026-03-25");
  }

  /** Before, the settings a Properties held as its defaults were dropped. */
  @Test
  void properties_includeTheDefaultsOfTheGivenProperties() {
    java.util.Properties defaults = new java.util.Properties();
    defaults.setProperty("notify.job.campaign-batches.cron", "*/2 * * * *");

    engine = base().properties(new java.util.Properties(defaults)).build().start();

    assertThat(engine.jobs().find("campaign-batches")).hasValueSatisfying(j -> assertThat(j.schedule()).isEqualTo("*/2 * * * *"));
  }

  /** Before, the setter took it, and start() refused it only after saving the builder's definitions. */
  @Test
  void jobCron_thatIsNotACronExpression_isRefusedByTheSetter() {
    assertThatThrownBy(() -> NotificationEngine.builder().jobCron("campaign-batches", "every five minutes"))
        .isInstanceOf(InvalidCronException.class).hasMessageContaining("campaign-batches")
        .hasMessageContaining("every five minutes");
  }

  /**
   * Before, start() saved the builder's trigger and rule and only then read the campaign-batches cron: with a shared
   * store, a node that could not start still replaced the definitions the other nodes send by.
   */
  @Test
  void invalidJobCronFromTheEnvironment_failsStartBeforeAnyDefinitionIsSaved() {
    InMemoryStore store = InMemoryStore.create();
    NotificationEngine e = base().store(store)
        .environment(k -> k.equals("NOTIFY_JOB_CAMPAIGN_BATCHES_CRON") ? "every 5 minutes" : null).build();

    assertThatThrownBy(e::start).isInstanceOf(InvalidCronException.class)
        .hasMessageStartingWith("job 'campaign-batches': invalid cron expression 'every 5 minutes': ")
        .hasMessageEndingWith(" (from environment variable NOTIFY_JOB_CAMPAIGN_BATCHES_CRON)");

    assertThat(store.triggers()).isEmpty();
    assertThat(store.rules()).isEmpty();
    e.close();
  }

  /** Before, the builder's triggers listed ahead of the CRON trigger were saved when its configured cron was refused. */
  @Test
  void invalidCronOfABuilderCronTriggerFromProperties_failsStartBeforeAnyDefinitionIsSaved() {
    InMemoryStore store = InMemoryStore.create();
    java.util.Properties props = new java.util.Properties();
    props.setProperty("notify.job.permit_expiry_daily.cron", "61 * * * *");
    NotificationEngine e = base().store(store).trigger(Trigger.manual("a_manual_trigger").build()).properties(props).build();

    assertThatThrownBy(e::start).isInstanceOf(InvalidCronException.class)
        .hasMessageStartingWith("job 'permit_expiry_daily': invalid cron expression '61 * * * *': ")
        .hasMessageEndingWith(" (from property notify.job.permit_expiry_daily.cron)");

    assertThat(store.triggers()).isEmpty();
    assertThat(store.rules()).isEmpty();
    e.close();
  }

  @Test
  void unreadableJobEnabledFlag_failsStartBeforeAnyDefinitionIsSaved() {
    InMemoryStore store = InMemoryStore.create();
    NotificationEngine e = base().store(store)
        .environment(k -> k.equals("NOTIFY_JOB_LOG_CLEANUP_ENABLED") ? "yes" : null).build();

    assertThatThrownBy(e::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment variable NOTIFY_JOB_LOG_CLEANUP_ENABLED: invalid value 'yes': expected true or false");

    assertThat(store.triggers()).isEmpty();
    assertThat(store.rules()).isEmpty();
    e.close();
  }

  /** Before, a misspelled job name was accepted and changed nothing, silently. */
  @Test
  void jobSettingsNamingNoJob_areWarnedOfAtStart_listingTheJobs() {
    String out;
    try (dev.notify.core.testing.CapturedLogs logs = new dev.notify.core.testing.CapturedLogs()) {
      engine = base().jobCron("campaign-batchs", "*/2 * * * *").jobEnabled("permit_expiry_daily", true).build().start();
      out = logs.text();
    }

    assertThat(out).contains("jobCron/jobEnabled name no job: [campaign-batchs]").contains("campaign-batches")
        .contains("permit_expiry_daily");
  }

  /** Before, a misspelled job name in properties or the environment was ignored, silently. */
  @Test
  void jobSettingsInPropertiesOrEnvironmentNamingNoJob_areWarnedOfAtStart() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("notify.job.campaign-batchs.cron", "*/2 * * * *");
    props.setProperty("notify.job.log-cleanup.cron", "0 3 * * *");
    List<ch.qos.logback.classic.spi.ILoggingEvent> warnings;
    try (dev.notify.core.testing.CapturedLogs logs = new dev.notify.core.testing.CapturedLogs()) {
      engine = base().properties(props).environment(Map.of("NOTIFY_JOB_PERMIT_EXPIRY_DAYLY_ENABLED", "false",
          "NOTIFY_JOB_PERMIT_EXPIRY_DAILY_CRON", "0 8 * * *", "NOTIFY_JOB_LOG_CLEANUP_SCHEDULE", "0 4 * * *",
          "NOTIFY_JOB_QUEUE_DISPATCH_CRON", " ", "PATH", "/usr/bin")).build().start();
      warnings = logs.events().stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).toList();
    }

    assertThat(warnings).singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("job settings name no job: "
        + "[property notify.job.campaign-batchs.cron, environment variable NOTIFY_JOB_LOG_CLEANUP_SCHEDULE, "
        + "environment variable NOTIFY_JOB_PERMIT_EXPIRY_DAYLY_ENABLED]; "
        + "the jobs are [campaign-batches, log-cleanup, permit_expiry_daily, queue-dispatch]"));
  }

  /** DESIGN.md's example of a schedule set without code changes; before, it did nothing. */
  @Test
  void campaignBatchVariableOfTheDesign_setsTheCampaignBatchesSchedule() {
    engine = base().environment(Map.of("NOTIFY_CAMPAIGN_BATCH_CRON", "*/2 * * * *")).build().start();

    assertThat(engine.jobs().find("campaign-batches")).hasValueSatisfying(j -> assertThat(j.schedule()).isEqualTo("*/2 * * * *"));
  }

  @Test
  void campaignBatchesVariable_winsOverItsAlias() {
    engine = base().environment(Map.of("NOTIFY_CAMPAIGN_BATCH_CRON", "*/2 * * * *", "NOTIFY_JOB_CAMPAIGN_BATCHES_CRON", "*/3 * * * *"))
        .build().start();

    assertThat(engine.jobs().find("campaign-batches")).hasValueSatisfying(j -> assertThat(j.schedule()).isEqualTo("*/3 * * * *"));
  }

  /** An inactive CRON trigger has no job registered, but its code is a job name: no warning, and start goes on. */
  @Test
  void jobSettingsNamingAnInactiveCronTrigger_areNoMistake() {
    String out;
    try (dev.notify.core.testing.CapturedLogs logs = new dev.notify.core.testing.CapturedLogs()) {
      engine = base().trigger(Trigger.cron("recap", "0 7 * * *", "expiring_permits").active(false).build())
          .jobEnabled("recap", false).build().start();
      out = logs.text();
    }

    assertThat(out).doesNotContain("name no job");
  }

  @Test
  void builtInJobs_areListedWithStableNames() {
    engine = base().build().start();

    assertThat(engine.jobs().list()).extracting(JobInfo::name)
        .contains("queue-dispatch", "campaign-batches", "log-cleanup", "permit_expiry_daily");
    assertThat(engine.jobs().find("campaign-batches")).hasValueSatisfying(j -> assertThat(j.schedule()).isEqualTo("*/5 * * * *"));
    assertThat(engine.jobs().find("queue-dispatch")).hasValueSatisfying(j -> assertThat(j.schedule()).isEqualTo("continuous"));
    assertThat(engine.jobs().find("log-cleanup")).hasValueSatisfying(j -> assertThat(j.schedule()).isEqualTo("0 2 * * *"));
  }

  @Test
  void cronSchedule_isConfigurableFromTheEnvironment() {
    engine = base().environment(k -> k.equals("NOTIFY_JOB_PERMIT_EXPIRY_DAILY_CRON") ? "*/2 * * * *" : null).build().start();

    assertThat(engine.jobs().find("permit_expiry_daily")).hasValueSatisfying(j -> assertThat(j.schedule()).isEqualTo("*/2 * * * *"));
  }

  @Test
  void invalidCron_isAClearErrorNamingTheTriggerAndExpression() {
    NotificationEngine e = builder(clock, provider).backgroundJobs(false)
        .recordSource("s", p -> Stream.empty())
        .trigger(Trigger.cron("bad_cron", "61 * * * *", "s").build()).build();

    assertThatThrownBy(e::start).isInstanceOf(InvalidCronException.class)
        .hasMessageContaining("job 'bad_cron': invalid cron expression '61 * * * *'");
    e.close();
  }

  @Test
  void cronTriggerSavedAtRuntime_becomesAJob_andDeletingItRemovesTheJob() {
    engine = builder(clock, provider).backgroundJobs(false).recordSource("s", p -> Stream.empty()).build().start();

    engine.triggers().save(Trigger.cron("complaint_reply", "*/5 * * * *", "s").build());
    assertThat(engine.jobs().find("complaint_reply")).isPresent();

    engine.triggers().delete("complaint_reply");
    assertThat(engine.jobs().find("complaint_reply")).isEmpty();
  }

  /** Before, the new schedule was counted from the old one's last run: 12:00 today was "missed" and ran at once. */
  @Test
  void cronTriggerWhoseScheduleIsChanged_runsAtTheNewScheduleFromNow() {
    engine = base().build().start();
    clock.advance(Duration.ofDays(1)); // 09:00 on 3 March: the daily tick runs
    engine.runDueJobs();
    engine.dispatchNow();
    assertThat(provider.sentCount()).isEqualTo(2);

    clock.advance(Duration.ofHours(6)); // 15:00
    engine.triggers().save(Trigger.cron("permit_expiry_daily", "0 12 * * *", "expiring_permits").build());
    engine.runDueJobs();
    engine.dispatchNow();

    assertThat(provider.sentCount()).isEqualTo(2);
    assertThat(engine.jobs().find("permit_expiry_daily")).hasValueSatisfying(j ->
        assertThat(j.nextRun()).isEqualTo(Instant.parse("2026-03-04T05:00:00Z"))); // 12:00 on 4 March, Jakarta
  }

  /** Before, a trigger made active again ran at once the tick counted from its last run, days before. */
  @Test
  void cronTriggerMadeActiveAgain_runsAtItsNextTickFromNow() {
    engine = base().build().start();
    clock.advance(Duration.ofDays(1)); // 09:00 on 3 March: the daily tick runs
    engine.runDueJobs();
    engine.triggers().save(Trigger.cron("permit_expiry_daily", "0 9 * * *", "expiring_permits").active(false).build());

    clock.advance(Duration.ofDays(5).plusHours(6)); // 15:00 on 8 March
    engine.triggers().save(Trigger.cron("permit_expiry_daily", "0 9 * * *", "expiring_permits").build());
    engine.runDueJobs();

    assertThat(engine.jobs().history("permit_expiry_daily", 5)).hasSize(1);
    assertThat(engine.jobs().find("permit_expiry_daily")).hasValueSatisfying(j ->
        assertThat(j.nextRun()).isEqualTo(Instant.parse("2026-03-09T02:00:00Z"))); // 09:00 on 9 March, Jakarta
  }

  /** Before, a trigger named like an engine job replaced or removed that job: campaigns stopped getting batches. */
  @Test
  void triggerCodeOfAnEngineJob_isRefused() {
    assertThatThrownBy(() -> Trigger.manual("campaign-batches"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("trigger code 'campaign-batches' is the name of an engine job");
  }

  @Test
  void deletingATriggerThatDoesNotExist_leavesTheEngineJobsAlone() {
    engine = base().build().start();

    assertThat(engine.triggers().delete("log-cleanup")).isFalse();

    assertThat(engine.jobs().find("log-cleanup")).isPresent();
  }

  @Test
  void logCleanup_deletesLogsOlderThanTheRetention() {
    engine = base().logRetention(Duration.ofDays(30)).build().start();
    engine.testSend("expiry", "081200000001", Map.of("no", "1", "until", "x"));
    clock.advance(Duration.ofDays(31));
    engine.testSend("expiry", "081200000001", Map.of("no", "2", "until", "x"));

    engine.jobs().runNow("log-cleanup");

    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> assertThat(l.message()).contains("Izin 2"));
  }

  @Test
  void analytics_countOutcomesAfterDispatch() {
    engine = base().rule(Rule.builder("m_rule").trigger("m").recipients(Recipients.field("record.phone")).context("no", "'x'")
        .context("until", "'y'").template("expiry").build()).trigger(Trigger.manual("m").build()).build().start();
    engine.fire("m", Map.of("phone", "081200000001"), Map.of());
    engine.fire("m", Map.of("phone", "nope"), Map.of());
    engine.dispatchNow();

    AnalyticsSummary s = engine.analytics().summary(T0.minusSeconds(1), T0.plusSeconds(1));

    assertThat(s.count(EntryState.SENT)).isEqualTo(1);
    assertThat(s.skippedByReason()).containsEntry("invalid_phone", 1L);
    assertThat(s.byRule()).containsKey("m_rule");
    assertThat(s.queueDepth()).isZero();
  }

  @Test
  void campaignBatchesJob_releasesABatchAtEachFiveMinuteTick() {
    engine = base().targetSource("holders", params -> java.util.stream.IntStream.range(0, 5)
            .mapToObj(i -> Map.of("phone", "08120000010" + i, "no", "B-" + i, "until", "x")))
        .build().start();
    String id = engine.campaigns().create(CampaignSpec.builder("expiry_blast").template("expiry").targets("holders")
        .batchSize(2).batchInterval(Duration.ofMinutes(5)).build());
    engine.campaigns().start(id); // the first batch goes at start
    assertThat(engine.store().campaignEntries(id, 10)).hasSize(2);

    engine.runDueJobs(); // no tick due yet
    assertThat(engine.store().campaignEntries(id, 10)).hasSize(2);
    clock.advance(Duration.ofMinutes(5)); // 09:05 Jakarta: a campaign-batches tick
    engine.runDueJobs();
    assertThat(engine.store().campaignEntries(id, 10)).hasSize(4);
    clock.advance(Duration.ofMinutes(5));
    engine.runDueJobs();
    assertThat(engine.store().campaignEntries(id, 10)).hasSize(5);
    assertThat(engine.jobs().history("campaign-batches", 5)).hasSize(2);
  }

  @Test
  void disabledQueueDispatchJob_isReportedInactive() {
    engine = base().jobEnabled("queue-dispatch", false).build().start();

    assertThat(engine.jobs().find("queue-dispatch")).hasValueSatisfying(j -> assertThat(j.active()).isFalse());
    List<JobInfo> all = engine.jobs().list();
    assertThat(all).isNotEmpty();
  }
}
