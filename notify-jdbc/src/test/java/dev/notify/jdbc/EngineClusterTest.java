package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.EntryState;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.RecordingProvider;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.OutboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Three engines on one database drain 20,000 entries: every entry sent exactly once, none lost. */
class EngineClusterTest {
  private static final int ENTRIES = 20_000;

  @Test
  void threeEnginesOnPostgres_sendEveryEntryExactlyOnce() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      drain(db);
    }
  }

  @Test
  void threeEnginesOnMariaDb_sendEveryEntryExactlyOnce() throws Exception {
    try (TestDatabase db = TestDatabase.mariadb()) {
      drain(db);
    }
  }

  @Test
  void cronTick_runsOnceAcrossThreeEnginesOnPostgres() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      java.util.concurrent.atomic.AtomicInteger ticks = new java.util.concurrent.atomic.AtomicInteger();
      dev.notify.core.testing.MutableClock clock = new dev.notify.core.testing.MutableClock(Instant.parse("2026-06-01T00:59:00Z"));
      List<NotificationEngine> engines = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        engines.add(NotificationEngine.builder().store(db.store()).provider(new RecordingProvider()).environment(k -> null)
            .clock(clock).zone(java.time.ZoneOffset.UTC).nodeId("node-" + n).backgroundDispatch(false).backgroundJobs(false)
            .recordSource("hourly", params -> {
              ticks.incrementAndGet();
              return java.util.stream.Stream.empty();
            })
            .trigger(dev.notify.core.Trigger.cron("hourly_recap", "0 * * * *", "hourly").build())
            .build().start());
      }
      clock.advance(Duration.ofMinutes(1)); // 01:00, a tick for every engine
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
        for (NotificationEngine e : engines) runs.add(pool.submit(e::runDueJobs));
        for (java.util.concurrent.Future<?> f : runs) f.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdown();
        engines.forEach(NotificationEngine::close);
      }
      assertThat(ticks.get()).isEqualTo(1);
    }
  }

  private static void drain(TestDatabase db) throws Exception {
    JdbcStore seed = db.store();
    Instant now = Instant.now().minusSeconds(1);
    Set<String> ids = new HashSet<>();
    List<NewEntry> batch = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      String id = "e" + i;
      ids.add(id);
      batch.add(new NewEntry(QueueEntry.builder().id(id).recipient(Recipient.of("+6281200" + String.format("%06d", i)))
          .templateKey("t").context(Map.of("n", Integer.toString(i))).scheduledAt(now).createdAt(now).build(), null));
      if (batch.size() == 1_000) {
        seed.enqueue(batch, now, null);
        batch.clear();
      }
    }
    List<NotificationEngine> engines = new ArrayList<>();
    List<RecordingProvider> providers = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      RecordingProvider p = new RecordingProvider();
      providers.add(p);
      engines.add(NotificationEngine.builder().store(db.store()).provider(p).environment(k -> null).nodeId("node-" + n)
          .workers(2).batchSize(100).lease(Duration.ofMinutes(5)).template(MessageTemplate.of("t", "Pesan {{n}}"))
          .build().start());
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (seed.countByState(null).getOrDefault(EntryState.SENT, 0L) < ENTRIES && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100); // waiting for a condition, bounded by the deadline
    }
    engines.forEach(NotificationEngine::close);

    Map<String, Integer> sends = new HashMap<>();
    for (RecordingProvider p : providers) {
      for (OutboundMessage m : p.sent()) sends.merge(m.entryId(), 1, Integer::sum);
    }
    assertThat(sends.keySet()).as("none lost").isEqualTo(ids);
    assertThat(sends.values()).as("none sent twice").allMatch(c -> c == 1);
    assertThat(providers).as("the work was shared").allSatisfy(p -> assertThat(p.sentCount()).isPositive());
    assertThat(seed.countByState(null)).containsExactly(Map.entry(EntryState.SENT, (long) ENTRIES));
  }
}
