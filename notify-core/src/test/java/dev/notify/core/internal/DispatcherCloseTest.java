package dev.notify.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.EntryState;
import dev.notify.core.InMemoryStore;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.Recipients;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Rule;
import dev.notify.core.StoreException;
import dev.notify.core.Trigger;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.NotificationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What close() leaves behind when sends outlast it or an outcome cannot be stored. */
class DispatcherCloseTest {

  private static NotificationEngine.Builder engine(NotificationStore store, RecordingProvider provider, ExecutorService sends) {
    return NotificationEngine.builder()
        .store(store).clock(Clock.systemUTC()).environment(k -> null).provider(provider).backgroundJobs(false)
        .workers(1).batchSize(10).sendExecutor(sends).idlePoll(Duration.ofMillis(20))
        .trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("t", "Halo"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").build());
  }

  /**
   * The first send outlasts the shutdown timeout. Before, close() stored the outcomes it had and released every
   * lease at once: the first message, accepted a moment later, was left PENDING to be sent again, and the worker
   * went on with the rest of its chunk, whose leases were released (here the closed store stopped it; with a store
   * that stays open, a review helper saw 9 of 10 sent and left PENDING). Now the worker starts no further send, and
   * close() waits a little for the send it interrupted.
   */
  @Test
  void sendsThatOutlastTheShutdownTimeout_stopTheWorker_beforeItSendsEntriesWhoseLeasesWereReleased() throws Exception {
    InMemoryStore store = InMemoryStore.create();
    RecordingProvider provider = new RecordingProvider();
    CountDownLatch firstSendStarted = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    provider.failWith(m -> {
      if (firstSendStarted.getCount() > 0) {
        firstSendStarted.countDown();
        try {
          never.await(); // until close() gives up and interrupts the worker
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return null;
    });
    ExecutorService sends = Executors.newSingleThreadExecutor();
    NotificationEngine engine = engine(store, provider, sends).shutdownTimeout(Duration.ofMillis(200)).build().start();
    for (int i = 0; i < 10; i++) engine.fire("m", Map.of("phone", "08120000001" + i), Map.of());
    assertThat(firstSendStarted.await(20, TimeUnit.SECONDS)).isTrue();

    engine.close();

    assertThat(sends.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    assertThat(provider.sentCount()).isEqualTo(1);
    assertThat(store.countByState(null)).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.SENT, 1L, EntryState.PENDING, 9L));
  }

  /** Refuses every complete that carries the poisoned number's outcome. */
  private static final class RefusingStore extends ForwardingStore {
    RefusingStore() { super(InMemoryStore.create()); }

    @Override public List<String> complete(List<EntryUpdate> updates) {
      for (EntryUpdate u : updates) {
        if (u.log() != null && "+6281200000010".equals(u.log().phone())) throw new StoreException("value too long for column");
      }
      return delegate.complete(updates);
    }
  }

  /**
   * Five outcomes are left for close() to store, one of which the store refuses. Before, none was stored and close()
   * released all five leases, so the four messages already accepted were sent again.
   */
  @Test
  void anOutcomeTheStoreRefusesOnClose_doesNotLoseTheOthers() throws Exception {
    RefusingStore store = new RefusingStore();
    RecordingProvider provider = new RecordingProvider();
    CountDownLatch firstSendStarted = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    provider.failWith(m -> {
      firstSendStarted.countDown();
      try {
        go.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    ExecutorService sends = Executors.newSingleThreadExecutor();
    Set<Thread> before = dispatchThreads();
    NotificationEngine engine = engine(store, provider, sends).shutdownTimeout(Duration.ofSeconds(20)).build().start();
    Set<Thread> claimer = dispatchThreads();
    claimer.removeAll(before);
    assertThat(claimer).hasSize(1);
    for (int i = 0; i < 5; i++) engine.fire("m", Map.of("phone", "08120000001" + i), Map.of());
    assertThat(firstSendStarted.await(20, TimeUnit.SECONDS)).isTrue();
    // the claimer may take the first entry alone and the others a moment later: close only once all five are claimed
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (store.countByState(null).getOrDefault(EntryState.PROCESSING, 0L) < 5) {
      assertThat(System.nanoTime()).as("all five claimed within 20 s").isLessThan(deadline);
      Thread.sleep(5);
    }
    Thread closing = new Thread(engine::close);
    closing.start();
    claimer.iterator().next().join(TimeUnit.SECONDS.toMillis(20)); // from here on only close() stores outcomes
    go.countDown();
    closing.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(provider.sentCount()).isEqualTo(5);
    assertThat(store.countByState(null)).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.SENT, 4L, EntryState.PENDING, 1L));
  }

  /** The live claimer threads of every engine in this JVM. */
  private static Set<Thread> dispatchThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("notify-dispatch") && t.isAlive()) out.add(t);
    return out;
  }
}
