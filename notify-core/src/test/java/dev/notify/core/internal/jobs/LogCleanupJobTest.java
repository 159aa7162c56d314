package dev.notify.core.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.testing.MutableClock;
import dev.notify.core.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
  void zeroRetention_isRejected() {
    assertThatThrownBy(() -> new LogCleanupJob(store, clock, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("log retention must be positive, got PT0S");
  }
}
