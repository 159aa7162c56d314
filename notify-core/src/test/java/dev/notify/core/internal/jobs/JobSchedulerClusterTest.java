package dev.notify.core.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.JobRun;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.testing.MutableClock;
import dev.notify.core.InMemoryStore;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several schedulers (nodes) sharing one store: each tick runs once. */
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
}
