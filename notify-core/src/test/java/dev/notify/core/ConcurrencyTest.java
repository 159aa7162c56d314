package dev.notify.core;

import static dev.notify.core.EngineFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.testing.MutableClock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void concurrentFireFromManyThreads_withBackgroundDispatch_sendsEveryEntryExactlyOnce() throws Exception {
    RecordingProvider provider = new RecordingProvider();
    int threads = 8;
    int perThread = 2_000;
    CountDownLatch allSent = new CountDownLatch(threads * perThread);
    provider.failWith(m -> { allSent.countDown(); return null; });
    NotificationEngine engine = NotificationEngine.builder()
        .clock(Clock.systemUTC()).environment(k -> null).provider(provider).workers(4).batchSize(100)
        .trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("t", "n={{n}}"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).context("n", "record.n").template("t").build())
        .build().start();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        futures.add(pool.submit(() -> {
          go.await();
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            FireResult r = engine.fire("m", Map.of("phone", "0812" + String.format("%08d", base + i), "n", base + i), Map.of());
            r.queued().forEach(q -> ids.add(q.id()));
          }
          return ids;
        }));
      }
      go.countDown();
      Set<String> queuedIds = new HashSet<>();
      for (Future<List<String>> f : futures) queuedIds.addAll(f.get(60, TimeUnit.SECONDS));

      assertThat(queuedIds).hasSize(threads * perThread);
      assertThat(allSent.await(60, TimeUnit.SECONDS)).as("every entry sent").isTrue();
      engine.close(); // waits for in-flight completions to be stored
      List<OutboundMessage> sent = provider.sent();
      assertThat(sent).hasSize(threads * perThread);
      assertThat(sent.stream().map(OutboundMessage::entryId).distinct().count()).isEqualTo(threads * perThread);
      assertThat(sent.stream().map(OutboundMessage::entryId).collect(java.util.stream.Collectors.toSet())).isEqualTo(queuedIds);
      assertThat(engine.store().countByState(null)).containsExactly(Map.entry(EntryState.SENT, (long) threads * perThread));
      assertThat(engine.store().logs(LogQuery.all())).hasSize(threads * perThread);
    } finally {
      pool.shutdownNow();
      engine.close();
    }
  }

  /**
   * Node A claims three entries with a 60 s lease and its provider takes 40 s for the first. Without the lease
   * check, A went on to send the second and third while node B, after their leases expired, claimed and sent all
   * three: each was sent twice. Now A hands back the entries whose lease is half gone, claims them again and
   * sends each once; B finds nothing to take.
   */
  @Test
  void entriesWhoseLeaseIsHalfGoneBeforeTheirSend_goBackToTheQueueUnsent_soNoOtherNodeSendsThemToo() {
    MutableClock clock = clock();
    InMemoryStore store = InMemoryStore.create();
    RecordingProvider providerB = new RecordingProvider();
    NotificationEngine[] nodeB = new NotificationEngine[1];
    RecordingProvider providerA = new RecordingProvider();
    int[] sendsA = {0};
    providerA.failWith(m -> {
      sendsA[0]++;
      if (sendsA[0] == 1) clock.advance(java.time.Duration.ofSeconds(40));
      if (sendsA[0] == 2) {
        clock.advance(java.time.Duration.ofSeconds(25)); // past the first claim's lease
        nodeB[0].dispatchNow();
      }
      return null;
    });
    Rule rule = Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("permit_ready")
        .context("partner_name", "'Siti'").context("permit_number", "record.n").build();
    NotificationEngine nodeA = builder(clock, providerA).store(store).nodeId("node-a").batchSize(3)
        .lease(java.time.Duration.ofSeconds(60)).trigger(Trigger.manual("m").build()).rule(rule).build().start();
    nodeB[0] = builder(clock, providerB).store(store).nodeId("node-b").batchSize(3)
        .lease(java.time.Duration.ofSeconds(60)).build().start();
    try {
      for (int i = 1; i <= 3; i++) nodeA.fire("m", Map.of("phone", "08120000000" + i, "n", i), Map.of());

      nodeA.dispatchNow();

      List<String> phones = new ArrayList<>();
      providerA.sent().forEach(m -> phones.add(m.phone()));
      providerB.sent().forEach(m -> phones.add(m.phone()));
      assertThat(phones).containsExactlyInAnyOrder("+6281200000001", "+6281200000002", "+6281200000003");
      assertThat(providerB.sent()).isEmpty();
      assertThat(store.countByState(null)).containsExactly(Map.entry(EntryState.SENT, 3L));
      assertThat(store.logs(LogQuery.all())).hasSize(3);
    } finally {
      nodeB[0].close();
      nodeA.close();
    }
  }

  /**
   * Before, the owner's suffix was an 8-digit counter that starts at one of 65,536 values, so two processes with one
   * node id (the default "node" without HOSTNAME) shared a lease owner about once in 65,536 starts.
   */
  @Test
  void aLeaseOwner_isTheNodeIdWith64RandomBits() {
    MutableClock clock = clock();
    InMemoryStore store = InMemoryStore.create();
    List<String> owners = new ArrayList<>();
    RecordingProvider provider = new RecordingProvider();
    provider.failWith(m -> {
      owners.add(store.findEntry(m.entryId()).orElseThrow().leaseOwner());
      return null;
    });
    Rule rule = Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("permit_ready")
        .context("partner_name", "'Siti'").context("permit_number", "'1'").build();
    for (int i = 0; i < 2; i++) {
      try (NotificationEngine engine = builder(clock, provider).store(store).nodeId("node").trigger(Trigger.manual("m").build())
          .rule(rule).build().start()) {
        engine.fire("m", Map.of("phone", "08120000000" + i), Map.of());
        engine.dispatchNow();
      }
    }

    assertThat(owners).hasSize(2).allMatch(o -> o.matches("node-[0-9a-f]{16}"));
    assertThat(owners.get(0)).isNotEqualTo(owners.get(1));
  }
}
