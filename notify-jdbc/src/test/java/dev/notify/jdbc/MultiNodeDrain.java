package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import dev.notify.core.spi.EntryUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes (three JdbcStores, three connection pools) drain one queue at the same time the way the
 * engine does: claim 100, complete each as SENT with its log. Every entry must be completed exactly once.
 */
abstract class MultiNodeDrain {
  static final int NODES = 3;
  static final Instant NOW = JdbcStoreBehaviour.T0;

  TestDatabase db;

  abstract TestDatabase openDatabase();

  /** How many entries to drain. */
  int entries() { return 20_000; }

  @BeforeEach
  void open() {
    db = openDatabase();
  }

  @AfterEach
  void drop() throws Exception {
    if (db != null) db.close();
  }

  @Test
  void threeNodes_drainingOneQueue_completeEveryEntryExactlyOnce() throws Exception {
    List<JdbcStore> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) nodes.add(db.store());
    int total = entries();
    for (int from = 0; from < total; from += 500) {
      nodes.get(0).enqueue(JdbcStoreBehaviour.newEntries("e", from, 500), NOW, null);
    }
    Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(NODES);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> work = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        JdbcStore store = nodes.get(i);
        String owner = "node-" + i;
        work.add(pool.submit(() -> {
          go.await();
          int claimedByMe = 0;
          while (true) {
            List<QueueEntry> claimed = store.claimDue(NOW, 100, owner, NOW.plus(Duration.ofMinutes(5)));
            if (claimed.isEmpty()) return claimedByMe;
            claimedByMe += claimed.size();
            List<EntryUpdate> updates = DrainSupport.sentAll(claimed, owner, NOW);
            for (String id : store.complete(updates)) completions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          }
        }));
      }
      go.countDown();
      int claimed = 0;
      for (Future<Integer> f : work) claimed += f.get(3, TimeUnit.MINUTES);

      assertThat(claimed).as("claims over all nodes").isEqualTo(total);
    } finally {
      pool.shutdownNow();
    }

    assertThat(completions).hasSize(total);
    assertThat(completions.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(nodes.get(1).countByState(null)).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.SENT, (long) total));
    assertThat(db.count("SELECT COUNT(DISTINCT entry_id) FROM " + db.table("delivery_log"))).isEqualTo(total);
    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("delivery_log"))).isEqualTo(total);
  }
}
