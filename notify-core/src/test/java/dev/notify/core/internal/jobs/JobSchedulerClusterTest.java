package dev.notify.core.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.notify.core.JobRun;
import dev.notify.core.StoreException;
import dev.notify.core.internal.ForwardingStore;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.testing.MutableClock;
import dev.notify.core.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several schedulers (nodes) sharing one store: each tick runs once, unless its node died before the run ended. */
class JobSchedulerClusterTest {
  private final MutableClock clock = MutableClock.at("2025-01-01T10:00:30Z");
  private final NotificationStore store = InMemoryStore.create();
  private final RecordingTimer timer = new RecordingTimer();
  private final List<JobScheduler> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    nodes.forEach(JobScheduler::close);
    timer.shutdownNow();
  }

  private JobScheduler node(String id, Runnable task) {
    JobScheduler s = new JobScheduler(clock, store, timer, Runnable::run, id, ZoneOffset.UTC);
    s.register("campaign-batches", "*/5 * * * *", task);
    nodes.add(s);
    return s;
  }

  /** A node running the daily {@code permit-reminders} job at 08:00 on {@code runner}. */
  private JobScheduler dailyNode(String id, Executor runner, Runnable task) {
    return dailyNode(id, store, runner, task);
  }

  private JobScheduler dailyNode(String id, NotificationStore store, Executor runner, Runnable task) {
    JobScheduler s = new JobScheduler(clock, store, timer, runner, id, ZoneOffset.UTC);
    s.register("permit-reminders", "0 8 * * *", task);
    nodes.add(s);
    return s;
  }

  private void at(String instant) {
    clock.set(Instant.parse(instant));
  }

  /** Before, the next tick was claimed by another node while the run went on: one job ran twice at once. */
  @Test
  void tickDueWhileTheJobRunsOnAnotherNode_isNotRun_asOnOneNode() {
    ManualExecutor slowA = new ManualExecutor(); // node-a's 10:05 run is still going at 10:10
    AtomicInteger runs = new AtomicInteger();
    JobScheduler a = new JobScheduler(clock, store, timer, slowA, "node-a", ZoneOffset.UTC);
    a.register("campaign-batches", "*/5 * * * *", runs::incrementAndGet);
    nodes.add(a);
    JobScheduler b = node("node-b", runs::incrementAndGet);

    at("2025-01-01T10:05:00Z");
    a.runDueJobs();
    at("2025-01-01T10:10:00Z");
    b.runDueJobs();
    assertThat(runs).hasValue(0);

    slowA.runAll(); // the 10:05 run ends
    at("2025-01-01T10:15:00Z");
    b.runDueJobs();
    assertThat(runs).hasValue(2);
  }

  @Test
  void twoNodesAtTheSameTick_runTheTaskOnce() {
    AtomicInteger runs = new AtomicInteger();
    JobScheduler a = node("node-a", runs::incrementAndGet);
    JobScheduler b = node("node-b", runs::incrementAndGet);

    clock.advance(Duration.ofMinutes(5));
    a.runDueJobs();
    b.runDueJobs();

    assertThat(runs).hasValue(1);
    assertThat(b.history("campaign-batches", 10)).extracting(JobRun::node).containsExactly("node-a");
  }

  @Test
  void fourNodesRacingOnFourThreads_runEachTickExactlyOnce() throws Exception {
    int ticks = 50;
    ConcurrentHashMap<java.time.Instant, AtomicInteger> runsPerTick = new ConcurrentHashMap<>();
    Runnable task = () -> runsPerTick.computeIfAbsent(clock.instant(), t -> new AtomicInteger()).incrementAndGet();
    List<JobScheduler> racers = List.of(node("n1", task), node("n2", task), node("n3", task), node("n4", task));
    CyclicBarrier barrier = new CyclicBarrier(racers.size(), () -> clock.advance(Duration.ofMinutes(5)));
    ExecutorService threads = Executors.newFixedThreadPool(racers.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (JobScheduler racer : racers) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < ticks; i++) {
            barrier.await(10, TimeUnit.SECONDS); // the last thread to arrive moves the clock to the next tick
            racer.runDueJobs();
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    assertThat(runsPerTick).hasSize(ticks);
    assertThat(runsPerTick.values()).allSatisfy(n -> assertThat(n).hasValue(1));
  }

  /**
   * Before, no node ever ran a tick whose node died mid-run: the claim stood, a node started later landed on the
   * tick (counted from the last run) but was refused it, and moved on to the next day.
   */
  @Test
  void tickWhoseNodeDiedMidRun_isRunByAnotherNodeOnceTheLeaseExpires() {
    at("2025-01-01T07:59:00Z");
    AtomicInteger runs = new AtomicInteger();
    AtomicBoolean aDied = new AtomicBoolean();
    JobScheduler a = dailyNode("node-a", task -> { if (!aDied.get()) task.run(); }, runs::incrementAndGet);
    at("2025-01-01T08:00:00Z");
    a.runDueJobs(); // day 1: a normal run
    assertThat(runs).hasValue(1);

    aDied.set(true);
    at("2025-01-02T08:00:00Z");
    a.runDueJobs(); // day 2: node A claims the tick and dies before its run ends (its runner drops the task)

    at("2025-01-02T08:05:00Z");
    JobScheduler b = dailyNode("node-b", Runnable::run, runs::incrementAndGet);
    b.runDueJobs(); // the 08:00 tick is still leased to node A
    at("2025-01-02T08:09:59Z");
    b.runDueJobs();
    assertThat(runs).hasValue(1);

    at("2025-01-02T08:10:01Z"); // node A's 10-minute lease has expired
    b.runDueJobs();
    b.runDueJobs();

    assertThat(runs).hasValue(2);
    assertThat(b.history("permit-reminders", 10)).extracting(JobRun::node, JobRun::startedAt).containsExactly(
        tuple("node-b", Instant.parse("2025-01-02T08:10:01Z")), tuple("node-a", Instant.parse("2025-01-01T08:00:00Z")));
    assertThat(b.find("permit-reminders").orElseThrow().nextRun()).isEqualTo(Instant.parse("2025-01-03T08:00:00Z"));
  }

  @Test
  void longRunOnALiveNode_keepsItsTick_becauseTheTimerRenewsItsLease() {
    at("2025-01-01T07:59:00Z");
    AtomicInteger runs = new AtomicInteger();
    ManualExecutor aRunner = new ManualExecutor();
    JobScheduler a = dailyNode("node-a", aRunner, runs::incrementAndGet);
    JobScheduler b = dailyNode("node-b", Runnable::run, runs::incrementAndGet);

    at("2025-01-01T08:00:00Z");
    a.runDueJobs(); // node A claims the tick; its run goes on (held in its runner) for half an hour
    assertThat(timer.repeating()).singleElement().extracting(RecordingTimer.Scheduled::delayMillis).isEqualTo(60_000L);
    for (int minute = 0; minute < 30; minute++) {
      b.runDueJobs();
      clock.advance(Duration.ofMinutes(1));
      timer.repeating().forEach(renewal -> renewal.command().run());
    }
    assertThat(runs).hasValue(0);

    aRunner.runAll(); // the run ends at 08:30
    assertThat(timer.repeating()).isEmpty();
    at("2025-01-01T09:00:00Z");
    b.runDueJobs();

    assertThat(runs).hasValue(1);
    assertThat(b.find("permit-reminders").orElseThrow().nextRun()).isEqualTo(Instant.parse("2025-01-02T08:00:00Z"));
  }

  @Test
  void runThatThrew_hasFinishedItsTick_andIsNotRunAgainElsewhere() {
    at("2025-01-01T07:59:00Z");
    AtomicInteger runs = new AtomicInteger();
    JobScheduler a = dailyNode("node-a", Runnable::run, () -> {
      runs.incrementAndGet();
      throw new IllegalStateException("record source down");
    });
    JobScheduler b = dailyNode("node-b", Runnable::run, runs::incrementAndGet);

    at("2025-01-01T08:00:00Z");
    a.runDueJobs();
    b.runDueJobs();
    at("2025-01-01T08:10:01Z");
    b.runDueJobs();
    at("2025-01-01T09:00:00Z");
    b.runDueJobs();

    assertThat(runs).hasValue(1);
    assertThat(b.find("permit-reminders").orElseThrow().nextRun()).isEqualTo(Instant.parse("2025-01-02T08:00:00Z"));
  }

  @Test
  void tickThatCouldNotBeMarkedFinished_isMarkedByTheNextRenewal_andNotRunAgainElsewhere() {
    AtomicBoolean storeDown = new AtomicBoolean();
    NotificationStore flaky = new ForwardingStore(store) {
      @Override public boolean finishTick(String job, Instant tick, String owner, Instant now) {
        if (storeDown.get()) throw new StoreException("connection reset");
        return super.finishTick(job, tick, owner, now);
      }
    };
    at("2025-01-01T07:59:00Z");
    AtomicInteger runs = new AtomicInteger();
    JobScheduler a = dailyNode("node-a", flaky, Runnable::run, runs::incrementAndGet);
    JobScheduler b = dailyNode("node-b", Runnable::run, runs::incrementAndGet);
    Instant tick = Instant.parse("2025-01-01T08:00:00Z");
    storeDown.set(true);
    at("2025-01-01T08:00:00Z");
    a.runDueJobs();
    b.runDueJobs();
    assertThat(store.unfinishedTickLease("permit-reminders", tick)).isPresent();

    storeDown.set(false);
    clock.advance(Duration.ofMinutes(1));
    timer.repeating().forEach(renewal -> renewal.command().run());
    assertThat(store.unfinishedTickLease("permit-reminders", tick)).isEmpty();
    assertThat(timer.repeating()).isEmpty();

    at("2025-01-01T08:10:01Z"); // node B tries the tick again when the lease it saw ends
    b.runDueJobs();
    assertThat(runs).hasValue(1);
    assertThat(b.find("permit-reminders").orElseThrow().nextRun()).isEqualTo(Instant.parse("2025-01-02T08:00:00Z"));
  }
}
