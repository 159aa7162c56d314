package dev.notify.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.InMemoryStore;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipients;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Rule;
import dev.notify.core.StoreException;
import dev.notify.core.Trigger;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.SendResult;
import dev.notify.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An outcome the store refuses as it is (MariaDB: a provider message id over its 255-character column; PostgreSQL: a
 * NUL character in the text) while it still answers. Before, the outcome was dropped: the entry stayed PROCESSING and
 * was sent again after every lease, without end.
 */
class DispatcherRefusedOutcomeTest {
  private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private NotificationEngine engine;

  @AfterEach
  void close() {
    if (engine != null) engine.close();
  }

  /** Refuses what MariaDB and PostgreSQL refuse. */
  private static final class PickyStore extends ForwardingStore {
    PickyStore() { super(InMemoryStore.create()); }

    @Override public List<String> complete(List<EntryUpdate> updates) {
      for (EntryUpdate u : updates) {
        if (u.externalId() != null && u.externalId().length() > 255) throw new StoreException("Data too long for column 'external_id'");
        DeliveryLog l = u.log();
        if (l != null && l.message() != null && l.message().indexOf('\u0000') >= 0) {
          throw new StoreException("invalid byte sequence for encoding \"UTF8\": 0x00");
        }
      }
      return delegate.complete(updates);
    }
  }

  private QueueEntry sendOnceAndLetLeasesPass(RecordingProvider provider, Map<String, ?> record) {
    PickyStore store = new PickyStore();
    engine = NotificationEngine.builder().store(store).clock(clock).environment(k -> null).provider(provider)
        .backgroundDispatch(false).backgroundJobs(false)
        .trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "Catatan: {{note}}"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).context("note", "record.note")
            .template("t").build())
        .build().start();
    String id = engine.fire("m", record, Map.of()).queued().get(0).id();
    for (int i = 0; i < 4; i++) {
      engine.dispatchNow();
      clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    }
    return store.findEntry(id).orElseThrow();
  }

  @Test
  void sentWithAMessageIdTooLongForTheStore_isStoredSentWithoutIt_andSentOnce() {
    java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
    RecordingProvider provider = new RecordingProvider().failWith(m -> {
      sends.incrementAndGet();
      return SendResult.accepted("wamid." + "x".repeat(300));
    });

    QueueEntry e = sendOnceAndLetLeasesPass(provider, Map.of("phone", "081234567890", "note", "ok"));

    assertThat(sends.get()).isEqualTo(1);
    assertThat(e.state()).isEqualTo(EntryState.SENT);
    assertThat(e.externalId()).isNull();
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> assertThat(l.state()).isEqualTo(EntryState.SENT));
  }

  @Test
  void sentWithANulInItsText_isStoredSentWithTheTextCleaned_andSentOnce() {
    RecordingProvider provider = new RecordingProvider();

    QueueEntry e = sendOnceAndLetLeasesPass(provider, Map.of("phone", "081234567890", "note", "a\u0000b"));

    assertThat(provider.sentCount()).isEqualTo(1);
    assertThat(e.state()).isEqualTo(EntryState.SENT);
    assertThat(engine.store().logs(LogQuery.all())).singleElement()
        .satisfies(l -> assertThat(l.message()).isEqualTo("Catatan: a\uFFFDb"));
  }
}
