package dev.notify.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.InMemoryStore;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.Recipients;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * close() while the host's own dispatchNow() (backgroundDispatch(false)) is sending on another thread. Before, close()
 * released the leases of the entries that pass was still sending: another node claimed and sent them too.
 */
class DispatcherCloseDuringHostPassTest {
  private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");

  private static NotificationEngine engine(NotificationStore store, RecordingProvider provider, MutableClock clock, String node) {
    return NotificationEngine.builder()
        .store(store).clock(clock).environment(k -> null).provider(provider).backgroundJobs(false)
        .backgroundDispatch(false).nodeId(node).shutdownTimeout(Duration.ofSeconds(30))
        .trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("t", "Halo"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").build())
        .build().start();
  }

  @Test
  void closeDuringTheHostsDispatchPass_letsItsSendEnd_andHandsTheRestBack_soEachEntryIsSentOnce() throws Exception {
    InMemoryStore store = InMemoryStore.create();
    MutableClock clock = new MutableClock(T0);
    RecordingProvider onA = new RecordingProvider();
    RecordingProvider onB = new RecordingProvider();
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    onA.failWith(m -> {
      if (sending.getCount() > 0) {
        sending.countDown();
        try {
          go.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return null;
    });
    NotificationEngine a = engine(store, onA, clock, "a");
    try (NotificationEngine b = engine(store, onB, clock, "b")) {
      for (int i = 0; i < 3; i++) a.fire("m", Map.of("phone", "08120000001" + i), Map.of());
      Thread hostPass = new Thread(a::dispatchNow, "host-dispatch");
      hostPass.start();
      assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
      Thread closer = new Thread(a::close, "shutdown-hook");
      closer.start();
      // until close() waits (for the pass, with this fix) or has ended (before it)
      while (closer.getState() != Thread.State.TIMED_WAITING && closer.getState() != Thread.State.TERMINATED) {
        Thread.onSpinWait();
      }
      go.countDown();
      hostPass.join(30_000);
      closer.join(30_000);

      b.dispatchNow(); // the other node takes what node a did not send

      Map<String, Integer> sends = new TreeMap<>();
      for (RecordingProvider p : new RecordingProvider[] {onA, onB}) {
        for (OutboundMessage m : p.sent()) sends.merge(m.entryId(), 1, Integer::sum);
      }
      assertThat(sends).hasSize(3);
      assertThat(sends.values()).as("sends per entry").containsOnly(1);
      assertThat(onA.sentCount()).as("node a ends the send in flight and sends nothing more").isEqualTo(1);
    }
  }
}
