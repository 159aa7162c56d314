package dev.notify.core.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.InvalidCronException;
import dev.notify.core.JobInfo;
import dev.notify.core.JobRun;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.testing.MutableClock;
import dev.notify.core.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobSchedulerTest {
  private static final Executor DIRECT = Runnable::run;

  private final MutableClock clock = MutableClock.at("2025-01-01T10:00:30Z");
  private final NotificationStore store = InMemoryStore.create();
  private final RecordingTimer timer = new RecordingTimer();
  private final List<JobScheduler> schedulers = new ArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void tearDown() {
    schedulers.forEach(JobScheduler::close);
    timer.shutdownNow();
  }

  private JobScheduler scheduler(String node, Executor runner, ZoneId zone) {
    JobScheduler s = new JobScheduler(clock, store, timer, runner, node, zone);
    schedulers.add(s);
    return s;
  }

  private JobScheduler scheduler() {
    return scheduler("node-a", DIRECT, ZoneOffset.UTC);
  }

  private void at(String instant) {
    clock.set(Instant.parse(instant));
  }

  @Test
  void dueJob_runsOnceAndNotAgainUntilItsNextTick() {
    JobScheduler s = scheduler();
    s.register("campaign-batches", "*/5 * * * *", runs::incrementAndGet);

    s.runDueJobs(); // 10:00:30: the 10:00 tick was before registration
    assertThat(runs).hasValue(0);

    at("2025-01-01T10:05:00Z");
    s.runDueJobs();
    s.runDueJobs();
    assertThat(runs).hasValue(1);

    at("2025-01-01T10:09:59Z");
    s.runDueJobs();
    assertThat(runs).hasValue(1);

    at("2025-01-01T10:10:00Z");
    s.runDueJobs();
    assertThat(runs).hasValue(2);
  }

  @Test
  void missedTicks_runOnceNotOncePerTick() {
    JobScheduler s = scheduler();
    s.register("campaign-batches", "*/5 * * * *", runs::incrementAndGet);

    at("2025-01-01T11:02:00Z"); // 12 ticks passed without a call
    s.runDueJobs();
    s.runDueJobs();
    assertThat(runs).hasValue(1);

    at("2025-01-01T11:05:00Z");
    s.runDueJobs();
    assertThat(runs).hasValue(2);
  }

  @Test
  void restartedNode_catchesUpMissedTicksWithOneRun() {
    JobScheduler before = scheduler();
    before.register("log-cleanup", "0 2 * * *", runs::incrementAndGet);
    at("2025-01-02T02:00:00Z");
    before.runDueJobs();
    before.close();

    at("2025-01-05T12:00:00Z"); // down for three nightly ticks
    JobScheduler after = scheduler();
    after.register("log-cleanup", "0 2 * * *", runs::incrementAndGet);
    after.runDueJobs();
    after.runDueJobs();

    assertThat(runs).hasValue(2);
    assertThat(after.history("log-cleanup", 10)).extracting(JobRun::startedAt)
        .containsExactly(Instant.parse("2025-01-05T12:00:00Z"), Instant.parse("2025-01-02T02:00:00Z"));
  }

  @Test
  void throwingJob_isRecordedWithItsErrorAndRunsAgainAtTheNextTick() {
    JobScheduler s = scheduler();
    s.register("campaign-batches", "*/5 * * * *", () -> {
      if (runs.incrementAndGet() == 1) throw new IllegalStateException("provider down");
    });

    at("2025-01-01T10:05:00Z");
    s.runDueJobs();
    assertThat(s.history("campaign-batches", 1)).singleElement()
        .satisfies(r -> assertThat(r.error()).isEqualTo("provider down"));
    assertThat(s.find("campaign-batches")).get().extracting(JobInfo::lastError).isEqualTo("provider down");

    at("2025-01-01T10:10:00Z");
    s.runDueJobs();
    assertThat(runs).hasValue(2);
    assertThat(s.find("campaign-batches")).get().extracting(JobInfo::lastError).isNull();
  }

  /** Before, a 70,000-character error made MariaDB refuse the run record: neither history nor last run was kept. */
  @Test
  void longError_isKeptCutToAThousandCharacters() {
    JobScheduler s = scheduler();
    s.register("campaign-batches", "*/5 * * * *", () -> {
      throw new IllegalStateException("x".repeat(70_000));
    });

    at("2025-01-01T10:05:00Z");
    s.runDueJobs();

    assertThat(s.history("campaign-batches", 1)).singleElement()
        .satisfies(r -> assertThat(r.error()).hasSize(1_000).endsWith("..."));
  }

  @Test
  void disabledJob_doesNotRunAtItsTicksUntilEnabledAgain() {
    JobScheduler s = scheduler();
    s.register("campaign-batches", "*/5 * * * *", runs::incrementAndGet);
    s.disable("campaign-batches");

    at("2025-01-01T10:05:00Z");
    s.runDueJobs();
    assertThat(runs).hasValue(0);
    assertThat(s.find("campaign-batches")).get().extracting(JobInfo::active, JobInfo::nextRun).containsExactly(false, null);

    s.enable("campaign-batches");
    at("2025-01-01T10:10:00Z");
    s.runDueJobs();
    assertThat(runs).hasValue(1);
  }

  @Test
  void disablingOnOneNode_stopsTheJobOnAnotherNodeSharingTheStore() {
    JobScheduler a = scheduler("node-a", DIRECT, ZoneOffset.UTC);
    JobScheduler b = scheduler("node-b", DIRECT, ZoneOffset.UTC);
    a.register("campaign-batches", "*/5 * * * *", runs::incrementAndGet);
    b.register("campaign-batches", "*/5 * * * *", runs::incrementAndGet);

    a.disable("campaign-batches");
    at("2025-01-01T10:05:00Z");
    b.runDueJobs();

    assertThat(runs).hasValue(0);
    assertThat(b.find("campaign-batches")).get().extracting(JobInfo::active).isEqualTo(false);
  }

  @Test
  void configDisabledJob_neverRunsAtItsTicksAndCannotBeEnabled() {
    JobScheduler s = scheduler();
    s.register("log-cleanup", "0 2 * * *", runs::incrementAndGet, false);

    at("2025-01-02T02:00:00Z");
    s.runDueJobs();

    assertThat(runs).hasValue(0);
    assertThat(s.find("log-cleanup")).get().extracting(JobInfo::active).isEqualTo(false);
    assertThatThrownBy(() -> s.enable("log-cleanup"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("job 'log-cleanup' is disabled by configuration (notify.job.log-cleanup.enabled / "
            + "NOTIFY_JOB_LOG_CLEANUP_ENABLED); change the configuration to enable it");
  }

  /** Before, the replacing job had a fresh "running" flag: its first tick started a second run beside the old one. */
  @Test
  void jobReplacedWhileItsRunGoesOn_doesNotStartAnotherRunOnThisNode() {
    ManualExecutor runner = new ManualExecutor();
    JobScheduler s = scheduler("node-a", runner, ZoneOffset.UTC);
    s.register("recap", "*/5 * * * *", runs::incrementAndGet);
    at("2025-01-01T10:05:00Z");
    s.runDueJobs(); // the 10:05 run is queued, not finished

    s.replace("recap", "*/2 * * * *", runs::incrementAndGet, true);
    at("2025-01-01T10:06:00Z");
    s.runDueJobs();

    assertThat(runner.pending()).isEqualTo(1);
  }

  @Test
  void runNow_runsOnTheCallingThreadAndRecordsTheRun() {
    JobScheduler s = scheduler("node-a", new ManualExecutor(), ZoneOffset.UTC);
    Thread caller = Thread.currentThread();
    List<Thread> ranOn = new ArrayList<>();
    s.register("log-cleanup", "0 2 * * *", () -> {
      ranOn.add(Thread.currentThread());
      clock.advance(Duration.ofMillis(1500));
    });

    JobRun run = s.runNow("log-cleanup");

    assertThat(ranOn).containsExactly(caller);
    assertThat(run).isEqualTo(new JobRun("log-cleanup", "node-a", Instant.parse("2025-01-01T10:00:30Z"), 1500, null));
    assertThat(s.history("log-cleanup", 10)).containsExactly(run);
    assertThat(s.find("log-cleanup")).get()
        .extracting(JobInfo::lastRun, JobInfo::lastDurationMillis)
        .containsExactly(Instant.parse("2025-01-01T10:00:30Z"), 1500L);
  }

  @Test
  void runNow_ofAThrowingJob_returnsTheRunWithItsError() {
    JobScheduler s = scheduler();
    s.register("log-cleanup", "0 2 * * *", () -> {
      throw new IllegalStateException("database gone");
    });

    assertThat(s.runNow("log-cleanup").error()).isEqualTo("database gone");
    assertThat(s.history("log-cleanup", 1)).extracting(JobRun::error).containsExactly("database gone");
  }

  @Test
  void history_isMostRecentFirstAndLimited() {
    JobScheduler s = scheduler();
    s.register("log-cleanup", "0 2 * * *", runs::incrementAndGet);
    for (int i = 0; i < 3; i++) {
      s.runNow("log-cleanup");
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(s.history("log-cleanup", 2)).extracting(JobRun::startedAt)
        .containsExactly(Instant.parse("2025-01-01T10:02:30Z"), Instant.parse("2025-01-01T10:01:30Z"));
  }

  @Test
  void list_reportsScheduleAndNextRunInTheConfiguredZone() {
    at("2025-01-01T03:00:00Z"); // 10:00 in Jakarta
    JobScheduler s = scheduler("node-a", DIRECT, ZoneId.of("Asia/Jakarta"));
    s.register("permit-expiry", "0 9 * * *", runs::incrementAndGet);

    assertThat(s.list()).containsExactly(new JobInfo("permit-expiry", "0 9 * * *", true, null,
        Instant.parse("2025-01-02T02:00:00Z"), null, null));
  }

  @Test
  void continuousJob_isListedWithoutTicksAndCanBeDisabled() {
    JobScheduler s = scheduler();
    s.registerContinuous("queue-dispatch", "sends due queue entries");
    s.register("log-cleanup", "0 2 * * *", runs::incrementAndGet);

    assertThat(s.list()).extracting(JobInfo::name, JobInfo::schedule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("log-cleanup", "0 2 * * *"),
            org.assertj.core.groups.Tuple.tuple("queue-dispatch", "continuous"));
    assertThat(s.find("queue-dispatch")).get().extracting(JobInfo::nextRun).isNull();

    s.disable("queue-dispatch");
    assertThat(s.isActive("queue-dispatch")).isFalse();
    assertThatThrownBy(() -> s.runNow("queue-dispatch"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("job 'queue-dispatch' runs continuously; it cannot be run now");
  }

  @Test
  void continuousJobWithRunNowAction_runsItAndRecordsTheRun() {
    JobScheduler s = scheduler();
    s.registerContinuous("queue-dispatch", "sends due queue entries", runs::incrementAndGet, true);

    JobRun run = s.runNow("queue-dispatch");

    assertThat(runs).hasValue(1);
    assertThat(s.history("queue-dispatch", 5)).containsExactly(run);
  }

  @Test
  void unknownJob_isRejectedListingTheKnownJobs() {
    JobScheduler s = scheduler();
    s.register("log-cleanup", "0 2 * * *", runs::incrementAndGet);
    s.registerContinuous("queue-dispatch", "sends due queue entries");

    assertThatThrownBy(() -> s.runNow("log-clean"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown job 'log-clean'; known jobs: [log-cleanup, queue-dispatch]");
    assertThat(s.find("log-clean")).isEmpty();
  }

  @Test
  void invalidCron_isRejectedAtRegistrationAndRegistersNothing() {
    JobScheduler s = scheduler();

    assertThatThrownBy(() -> s.register("campaign-batches", "every 5 minutes", runs::incrementAndGet))
        .isInstanceOf(InvalidCronException.class)
        .hasMessageStartingWith("job 'campaign-batches': invalid cron expression 'every 5 minutes': ");
    assertThat(s.list()).isEmpty();
  }

  @Test
  void sameNameTwice_isRejected() {
    JobScheduler s = scheduler();
    s.register("log-cleanup", "0 2 * * *", runs::incrementAndGet);

    assertThatThrownBy(() -> s.registerContinuous("log-cleanup", "again"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("job 'log-cleanup' is already registered");
  }

  @Test
  void tickWhileThePreviousRunIsStillGoing_isSkipped() {
    ManualExecutor runner = new ManualExecutor();
    JobScheduler s = scheduler("node-a", runner, ZoneOffset.UTC);
    s.register("campaign-batches", "*/5 * * * *", runs::incrementAndGet);

    at("2025-01-01T10:05:00Z");
    s.runDueJobs();
    at("2025-01-01T10:10:00Z");
    s.runDueJobs(); // the 10:05 run has not started yet
    assertThat(runner.pending()).isEqualTo(1);

    runner.runAll();
    assertThat(runs).hasValue(1);
  }

  /** Before, the claimed tick was dropped: it stayed claimed, and no node ran it. */
  @Test
  void tickTheRunnerRejected_isTriedAgainOnceItsClaimsLeaseEnds() {
    java.util.concurrent.atomic.AtomicBoolean reject = new java.util.concurrent.atomic.AtomicBoolean(true);
    JobScheduler s = scheduler("node-a", task -> {
      if (reject.getAndSet(false)) throw new java.util.concurrent.RejectedExecutionException("pool full");
      task.run();
    }, ZoneOffset.UTC);
    s.register("log-cleanup", "0 2 * * *", runs::incrementAndGet);

    at("2025-01-02T02:00:00Z");
    s.runDueJobs();
    assertThat(runs).hasValue(0);
    assertThat(s.find("log-cleanup").orElseThrow().nextRun()).isEqualTo(Instant.parse("2025-01-02T02:10:01Z"));

    at("2025-01-02T02:10:01Z");
    s.runDueJobs();
    assertThat(runs).hasValue(1);
    assertThat(s.find("log-cleanup").orElseThrow().nextRun()).isEqualTo(Instant.parse("2025-01-03T02:00:00Z"));
  }

  @Test
  void start_armsTheTimerForTheNextTickAndRearmsAfterFiring() {
    at("2025-01-01T10:04:30Z");
    JobScheduler s = scheduler();
    s.register("campaign-batches", "*/5 * * * *", runs::incrementAndGet);

    s.start();
    assertThat(timer.last().delayMillis()).isEqualTo(30_000);

    at("2025-01-01T10:05:00Z");
    timer.last().command().run();
    assertThat(runs).hasValue(1);
    assertThat(timer.last().delayMillis()).isEqualTo(60_000); // next tick 10:10, capped at one minute

    RecordingTimer.Scheduled armed = timer.last();
    s.close();
    assertThat(armed.future().isCancelled()).isTrue();
  }
}
