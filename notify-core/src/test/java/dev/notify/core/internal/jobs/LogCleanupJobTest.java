package dev.notify.core.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.testing.MutableClock;
import dev.notify.core.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogCleanupJobTest {
  private final MutableClock clock = MutableClock.at("2025-06-01T02:00:00Z");
  private final NotificationStore store = InMemoryStore.create();

  private static DeliveryLog log(String id, Instant at) {
    return new DeliveryLog(id, null, "expiry", null, "+6281234567890", null, "tpl", EntryState.SENT, null, null,
        "meta", null, 1, 10, null, at);
  }

  @Test
  void deletesOnlyLogsOlderThanTheRetention() {
    Instant cutoff = clock.instant().minus(Duration.ofDays(90));
    store.appendLogs(List.of(
        log("older", cutoff.minus(Duration.ofDays(1))),
        log("just-older", cutoff.minusSeconds(1)),
        log("at-cutoff", cutoff),
        log("recent", clock.instant().minus(Duration.ofDays(1)))));

    int deleted = new LogCleanupJob(store, clock, Duration.ofDays(90)).deleteExpired();

    assertThat(deleted).isEqualTo(2);
    assertThat(store.logs(LogQuery.all())).extracting(DeliveryLog::id).containsExactly("at-cutoff", "recent");
  }

  @Test
  void alsoDeletesFinishedEntriesLastUpdatedBeforeTheRetention() {
    Instant cutoff = clock.instant().minus(Duration.ofDays(90));
    sendAt("just-older", cutoff.minusSeconds(1));
    sendAt("at-cutoff", cutoff);

    new LogCleanupJob(store, clock, Duration.ofDays(90)).deleteExpired();

    assertThat(store.findEntry("just-older")).isEmpty();
    assertThat(store.findEntry("at-cutoff")).isPresent();
  }

  /** An entry of no campaign created, claimed and sent at {@code at}. */
  private void sendAt(String id, Instant at) {
    QueueEntry e = QueueEntry.builder().id(id).recipient(Recipient.of(null, "Siti", "+6281234567890"))
        .templateKey("tpl").context(Map.of()).scheduledAt(at).createdAt(at).build();
    store.enqueue(List.of(new NewEntry(e, null)), at, null);
    QueueEntry claimed = store.claimDue(at, 10, "node-a", at.plus(Duration.ofMinutes(5))).get(0);
    store.complete(List.of(new EntryUpdate(id, "node-a", EntryState.SENT, 1, claimed.scheduledAt(), null, "meta",
        "wamid." + id, at, log("log-" + id, at))));
  }

  @Test
  void zeroRetention_isRejected() {
    assertThatThrownBy(() -> new LogCleanupJob(store, clock, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("log retention must be positive, got PT0S");
  }
}
