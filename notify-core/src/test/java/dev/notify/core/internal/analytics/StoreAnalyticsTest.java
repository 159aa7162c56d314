package dev.notify.core.internal.analytics;

import static dev.notify.core.EntryState.CANCELLED;
import static dev.notify.core.EntryState.FAILED;
import static dev.notify.core.EntryState.SENT;
import static dev.notify.core.EntryState.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.AnalyticsSummary;
import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.testing.MutableClock;
import dev.notify.core.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreAnalyticsTest {
  private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
  private static final Instant FROM = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2025-03-03T00:00:00Z");

  private final MutableClock clock = MutableClock.at("2025-03-03T00:00:00Z");
  private final InMemoryStore store = InMemoryStore.create();
  private final StoreAnalytics analytics = new StoreAnalytics(store, clock, JAKARTA);
  private int ids;

  private DeliveryLog log(EntryState state, String rule, String campaign, String provider, String reason, long millis, String at) {
    return new DeliveryLog("log-" + (++ids), null, rule, campaign, "+6281234567890", null, "tpl", state, reason, null,
        provider, null, 1, millis, null, Instant.parse(at));
  }

  private static NewEntry pending(String id, Instant scheduledAt) {
    return new NewEntry(QueueEntry.builder().id(id).ruleName("expiry").recipient(Recipient.of("+6281234567890"))
        .templateKey("tpl").scheduledAt(scheduledAt).build(), null);
  }

  @BeforeEach
  void logs() {
    store.appendLogs(List.of(
        // 23:30 on 1 March in Jakarta
        log(SENT, "expiry", null, "meta", null, 100, "2025-03-01T16:30:00Z"),
        // 00:30 on 2 March in Jakarta (still 1 March in UTC)
        log(SENT, "expiry", null, "meta", null, 200, "2025-03-01T17:30:00Z"),
        log(FAILED, "welcome", null, "fonnte", "131026", 900, "2025-03-02T01:00:00Z"),
        log(SENT, "welcome", "promo-1", "fonnte", null, 300, "2025-03-02T02:00:00Z"),
        log(SKIPPED, "expiry", null, null, "blacklisted", 0, "2025-03-02T03:00:00Z"),
        log(SKIPPED, "welcome", null, null, "blacklisted", 0, "2025-03-02T04:00:00Z"),
        log(SKIPPED, "welcome", null, null, "invalid_phone", 0, "2025-03-02T05:00:00Z"),
        log(CANCELLED, null, "promo-1", null, "campaign_cancelled", 0, "2025-03-02T06:00:00Z"),
        // outside the window
        log(SENT, "expiry", null, "meta", null, 5000, "2025-02-28T23:59:59Z"),
        log(SENT, "expiry", null, "meta", null, 5000, "2025-03-03T00:00:00Z")));
  }

  @Test
  void countsLogsInTheWindowByState() {
    AnalyticsSummary s = analytics.summary(FROM, TO);

    assertThat(s.byState()).isEqualTo(Map.of(SENT, 3L, FAILED, 1L, SKIPPED, 3L, CANCELLED, 1L));
    assertThat(s.total()).isEqualTo(8);
  }

  @Test
  void countsByRuleCampaignAndProvider_leavingOutLogsWithoutOne() {
    AnalyticsSummary s = analytics.summary(FROM, TO);

    assertThat(s.byRule()).isEqualTo(Map.of(
        "expiry", Map.of(SENT, 2L, SKIPPED, 1L),
        "welcome", Map.of(SENT, 1L, FAILED, 1L, SKIPPED, 2L)));
    assertThat(s.byCampaign()).isEqualTo(Map.of("promo-1", Map.of(SENT, 1L, CANCELLED, 1L)));
    assertThat(s.byProvider()).isEqualTo(Map.of(
        "meta", Map.of(SENT, 2L),
        "fonnte", Map.of(SENT, 1L, FAILED, 1L)));
  }

  @Test
  void countsByDay_inTheEngineZone() {
    AnalyticsSummary s = analytics.summary(FROM, TO);

    assertThat(s.byDay()).isEqualTo(Map.of(
        LocalDate.of(2025, 3, 1), Map.of(SENT, 1L),
        LocalDate.of(2025, 3, 2), Map.of(SENT, 2L, FAILED, 1L, SKIPPED, 3L, CANCELLED, 1L)));
  }

  /** Before, a message the provider accepted and later reported as not delivered counted only as a success. */
  @Test
  void sentLogs_areCountedByTheDeliveryStatusTheProviderReported() {
    store.appendLogs(List.of(new DeliveryLog("log-late", null, "expiry", null, "+6281234567890", null, "tpl", SENT, null,
        null, "meta", "wamid.X", 1, 10, dev.notify.core.DeliveryStatus.FAILED, Instant.parse("2025-03-02T07:00:00Z"))));

    AnalyticsSummary s = analytics.summary(FROM, TO);

    assertThat(s.sentByDeliveryStatus()).containsExactly(
        java.util.Map.entry(dev.notify.core.DeliveryStatus.NONE, 3L), java.util.Map.entry(dev.notify.core.DeliveryStatus.FAILED, 1L));
  }

  @Test
  void successRate_isSentOverSentPlusFailed() {
    assertThat(analytics.summary(FROM, TO).successRate()).isEqualTo(0.75);
  }

  @Test
  void processingPercentiles_coverSentAndFailedLogsOnly() {
    AnalyticsSummary s = analytics.summary(FROM, TO);

    // SENT and FAILED times: 100, 200, 300, 900 (skipped and cancelled logs' zeros are not counted)
    assertThat(s.processingP50Millis()).isEqualTo(200);
    assertThat(s.processingP95Millis()).isEqualTo(900);
  }

  @Test
  void skippedLogs_areCountedByReason() {
    assertThat(analytics.summary(FROM, TO).skippedByReason()).isEqualTo(Map.of("blacklisted", 2L, "invalid_phone", 1L));
  }

  @Test
  void queueDepthAndOldestDueAge_comeFromTheQueueNow() {
    Instant now = clock.instant();
    store.enqueue(List.of(pending("due-12m", now.minus(Duration.ofMinutes(12))), pending("due-1m", now.minusSeconds(60)),
        pending("later", now.plus(Duration.ofHours(1)))), now, null);

    AnalyticsSummary s = analytics.summary(FROM, TO);

    assertThat(s.queueDepth()).isEqualTo(2);
    assertThat(s.oldestDueAge()).isEqualTo(Duration.ofMinutes(12));
  }

  @Test
  void emptyWindow_hasZeroRatesAndNoNaN() {
    AnalyticsSummary s = analytics.summary(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-02T00:00:00Z"));

    assertThat(s.byState()).isEmpty();
    assertThat(s.successRate()).isEqualTo(0.0);
    assertThat(s.processingP50Millis()).isZero();
    assertThat(s.processingP95Millis()).isZero();
    assertThat(s.oldestDueAge()).isEqualTo(Duration.ZERO);
  }

  @Test
  void pagedReading_countsEveryLogOnceEvenWhenAPageIsOneInstant() {
    InMemoryStore crowded = InMemoryStore.create();
    List<DeliveryLog> logs = new ArrayList<>();
    for (int i = 0; i < 7; i++) logs.add(log(SENT, "expiry", null, "meta", null, 10, "2025-03-01T10:00:00Z"));
    for (int i = 0; i < 4; i++) logs.add(log(FAILED, "expiry", null, "meta", "131026", 10, "2025-03-01T11:00:00Z"));
    crowded.appendLogs(logs);

    AnalyticsSummary s = new StoreAnalytics(crowded, clock, JAKARTA, 3).summary(FROM, TO);

    assertThat(s.byState()).isEqualTo(Map.of(SENT, 7L, FAILED, 4L));
  }

  @Test
  void windowNotEndingAfterItStarts_isRejected() {
    assertThatThrownBy(() -> analytics.summary(TO, FROM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("summary window must have from before to, got from 2025-03-03T00:00:00Z, to 2025-03-01T00:00:00Z");
  }
}
