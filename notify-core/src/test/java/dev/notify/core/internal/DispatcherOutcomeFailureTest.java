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
import dev.notify.core.testing.CapturedLogs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The background dispatcher keeps going when the store refuses one entry's outcome every time. */
class DispatcherOutcomeFailureTest {
  private static final String POISONED = "+6281200000001";

  /** Refuses every complete that carries the poisoned number's outcome. */
  private static final class RefusingStore extends ForwardingStore {
    RefusingStore() { super(InMemoryStore.create()); }

    @Override public List<String> complete(List<EntryUpdate> updates) {
      for (EntryUpdate u : updates) {
        if (u.log() != null && POISONED.equals(u.log().phone())) throw new StoreException("value too long for column");
      }
      return delegate.complete(updates);
    }
  }

  @Test
  void anOutcomeTheStoreAlwaysRefuses_isDroppedAfterRetries_andTheOthersAndLaterFiresAreStored() throws Exception {
    RefusingStore store = new RefusingStore();
    try (CapturedLogs logs = new CapturedLogs();
         NotificationEngine engine = engine(store, new RecordingProvider())
             .idlePoll(Duration.ofMillis(20)).shutdownTimeout(Duration.ofSeconds(5)).build().start()) {
      String poisoned = engine.fire("m", Map.of("phone", "081200000001"), Map.of()).queued().get(0).id();
      String fine = engine.fire("m", Map.of("phone", "081200000002"), Map.of()).queued().get(0).id();

      awaitTrue(() -> state(store, fine) == EntryState.SENT);
      String later = engine.fire("m", Map.of("phone", "081200000003"), Map.of()).queued().get(0).id();
      awaitTrue(() -> state(store, later) == EntryState.SENT);

      assertThat(state(store, poisoned)).as("left under its lease, sent again when it expires").isEqualTo(EntryState.PROCESSING);
      assertThat(logs.text()).contains("storing the outcome of entry " + poisoned + " failed 3 times");
    }
  }

  /** Every call fails while {@link #down}; counts the one-by-one stores and the reads that failed. */
  private static final class FlakyStore extends ForwardingStore {
    volatile boolean down;
    final java.util.concurrent.atomic.AtomicInteger failedCompletes = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger failedReadsAfterThem = new java.util.concurrent.atomic.AtomicInteger();

    FlakyStore() { super(InMemoryStore.create()); }

    @Override public List<String> complete(List<EntryUpdate> updates) {
      if (down) {
        failedCompletes.incrementAndGet();
        throw new StoreException("connection refused");
      }
      return delegate.complete(updates);
    }

    @Override public List<dev.notify.core.QueueEntry> completeAndClaim(List<EntryUpdate> updates, java.time.Instant now, int limit,
        String owner, java.time.Instant leaseUntil) {
      if (down) throw new StoreException("connection refused");
      return delegate.completeAndClaim(updates, now, limit, owner, leaseUntil);
    }

    @Override public java.util.Optional<java.time.Instant> nextDue() {
      if (down) {
        if (failedCompletes.get() > 0) failedReadsAfterThem.incrementAndGet();
        throw new StoreException("connection refused");
      }
      return delegate.nextDue();
    }
  }

  /**
   * The store goes down right after the provider accepted a message. Before, after three failed calls the outcome
   * was stored one by one, failed again and was dropped: the entry was sent again when its lease expired.
   */
  @Test
  void anOutcomeNoCallCanStoreWhileTheStoreIsDown_isKeptAndStoredWhenItIsBack_andSentOnce() throws Exception {
    FlakyStore store = new FlakyStore();
    RecordingProvider provider = downAfterEachSend(store);
    try (NotificationEngine engine = engine(store, provider).backgroundJobs(false)
             .idlePoll(Duration.ofMillis(20)).lease(Duration.ofSeconds(2)).shutdownTimeout(Duration.ofSeconds(5))
             .build().start()) {
      String id = engine.fire("m", Map.of("phone", "081200000002"), Map.of()).queued().get(0).id();
      awaitTrue(() -> store.failedReadsAfterThem.get() > 0); // stored one by one, then found the store down

      store.down = false;

      awaitTrue(() -> store.delegate.findEntry(id).orElseThrow().state() == EntryState.SENT);
      assertThat(provider.sentCount()).isEqualTo(1);
    }
  }

  /** Before, dispatchNow() dropped outcomes after one failed store call: the entry was sent again after its lease. */
  @Test
  void dispatchNow_keepsOutcomesTheStoreCouldNotTake_andStoresThemOnTheNextCall() throws Exception {
    FlakyStore store = new FlakyStore();
    RecordingProvider provider = downAfterEachSend(store);
    try (NotificationEngine engine = engine(store, provider).backgroundDispatch(false).backgroundJobs(false).build().start()) {
      String id = engine.fire("m", Map.of("phone", "081200000002"), Map.of()).queued().get(0).id();
      engine.dispatchNow();
      assertThat(store.delegate.findEntry(id).orElseThrow().state()).isEqualTo(EntryState.PROCESSING);

      store.down = false;
      engine.dispatchNow();

      assertThat(store.delegate.findEntry(id).orElseThrow().state()).isEqualTo(EntryState.SENT);
      assertThat(provider.sentCount()).isEqualTo(1);
    }
  }

  /** An engine on {@code store} with one rule sending "Halo" to each fired record's phone. */
  private static NotificationEngine.Builder engine(dev.notify.core.spi.NotificationStore store, RecordingProvider provider) {
    return NotificationEngine.builder()
        .store(store).clock(Clock.systemUTC()).environment(k -> null).provider(provider)
        .trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("t", "Halo"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").build());
  }

  /** A provider that accepts each message and then takes the store down. */
  private static RecordingProvider downAfterEachSend(FlakyStore store) {
    return new RecordingProvider().failWith(m -> {
      store.down = true;
      return null;
    });
  }

  private static EntryState state(RefusingStore store, String id) {
    return store.findEntry(id).orElseThrow().state();
  }

  /** Waits for a condition, failing after 20 seconds. */
  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
