package dev.notify.core.internal.analytics;

import dev.notify.core.Analytics;
import dev.notify.core.AnalyticsSummary;
import dev.notify.core.DeliveryLog;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.EntryState;
import dev.notify.core.internal.Check;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NotificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link Analytics} over a {@link NotificationStore}: reads the window's logs page by page (so memory holds
 * the running totals and one processing time per SENT/FAILED log, not the logs), then asks the store for
 * the queue depth and the oldest due entry.
 */
public final class StoreAnalytics implements Analytics {
  /** Logs read per store call. */
  static final int DEFAULT_PAGE_SIZE = 5_000;

  private final NotificationStore store;
  private final Clock clock;
  private final ZoneId zone;
  private final int pageSize;

  public StoreAnalytics(NotificationStore store, Clock clock, ZoneId zone) {
    this(store, clock, zone, DEFAULT_PAGE_SIZE);
  }

  StoreAnalytics(NotificationStore store, Clock clock, ZoneId zone, int pageSize) {
    this.store = Check.notNull(store, "store");
    this.clock = Check.notNull(clock, "clock");
    this.zone = Check.notNull(zone, "time zone");
    this.pageSize = Check.positive(pageSize, "analytics page size");
  }

  @Override
  public AnalyticsSummary summary(Instant from, Instant to) {
    Check.notNull(from, "summary from");
    Check.notNull(to, "summary to");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("summary window must have from before to, got from " + from + ", to " + to);
    }
    Tally tally = new Tally(zone);
    forEachLog(from, to, tally::add);
    Instant now = clock.instant();
    long depth = store.queueDepth(now);
    Duration age = store.oldestDue(now).map(t -> Duration.between(t, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    return tally.summary(from, to, depth, age);
  }

  /**
   * Pages through the logs in [from, to) in (createdAt, id) order. Each page starts at the last page's last
   * createdAt; logs at that instant already seen are skipped by id, so no id order is assumed.
   */
  private void forEachLog(Instant from, Instant to, Consumer<DeliveryLog> action) {
    Instant cursor = from;
    Set<String> seenAtCursor = new HashSet<>();
    int limit = pageSize;
    while (true) {
      List<DeliveryLog> page = store.logs(LogQuery.between(cursor, to).withLimit(limit));
      for (DeliveryLog log : page) {
        if (log.createdAt().equals(cursor) && seenAtCursor.contains(log.id())) continue;
        action.accept(log);
      }
      if (page.size() < limit) return;
      Instant last = page.get(page.size() - 1).createdAt();
      if (last.equals(cursor)) {
        // A whole page at one instant: read that instant again with a bigger page.
        for (DeliveryLog log : page) seenAtCursor.add(log.id());
        limit = limit > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : limit * 2;
        continue;
      }
      cursor = last;
      seenAtCursor.clear();
      for (DeliveryLog log : page) if (log.createdAt().equals(last)) seenAtCursor.add(log.id());
    }
  }

  /** Running totals. */
  private static final class Tally {
    final ZoneId zone;
    final Map<EntryState, Long> byState = new EnumMap<>(EntryState.class);
    final Map<String, Map<EntryState, Long>> byRule = new HashMap<>();
    final Map<String, Map<EntryState, Long>> byCampaign = new HashMap<>();
    final Map<String, Map<EntryState, Long>> byProvider = new HashMap<>();
    final Map<LocalDate, Map<EntryState, Long>> byDay = new HashMap<>();
    final Map<String, Long> skippedByReason = new HashMap<>();
    final Map<DeliveryStatus, Long> sentByDeliveryStatus = new EnumMap<>(DeliveryStatus.class);
    long[] processing = new long[64];
    int processed;

    Tally(ZoneId zone) {
      this.zone = zone;
    }

    void add(DeliveryLog log) {
      EntryState s = log.state();
      byState.merge(s, 1L, Long::sum);
      bump(byRule, log.ruleName(), s);
      bump(byCampaign, log.campaignId(), s);
      bump(byProvider, log.provider(), s);
      bump(byDay, LocalDate.ofInstant(log.createdAt(), zone), s);
      if (s == EntryState.SENT) {
        sentByDeliveryStatus.merge(log.deliveryStatus() == null ? DeliveryStatus.NONE : log.deliveryStatus(), 1L, Long::sum);
      }
      if (s == EntryState.SKIPPED) {
        skippedByReason.merge(log.reason() == null || log.reason().isBlank() ? "unknown" : log.reason(), 1L, Long::sum);
      }
      if (s == EntryState.SENT || s == EntryState.FAILED) {
        if (processed == processing.length) processing = Arrays.copyOf(processing, processed * 2);
        processing[processed++] = Math.max(0, log.processingMillis());
      }
    }

    private static <K> void bump(Map<K, Map<EntryState, Long>> map, K key, EntryState s) {
      if (key == null) return;
      map.computeIfAbsent(key, k -> new EnumMap<>(EntryState.class)).merge(s, 1L, Long::sum);
    }

    AnalyticsSummary summary(Instant from, Instant to, long depth, Duration age) {
      long sent = byState.getOrDefault(EntryState.SENT, 0L);
      long failed = byState.getOrDefault(EntryState.FAILED, 0L);
      double successRate = sent + failed == 0 ? 0.0 : (double) sent / (sent + failed);
      long[] sorted = Arrays.copyOf(processing, processed);
      Arrays.sort(sorted);
      return new AnalyticsSummary(from, to, zone, byState, byRule, byCampaign, byProvider, byDay, successRate,
          Percentiles.nearestRank(sorted, 50), Percentiles.nearestRank(sorted, 95), skippedByReason, depth, age,
          sentByDeliveryStatus);
    }
  }
}
