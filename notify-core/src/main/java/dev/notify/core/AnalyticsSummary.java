package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Delivery figures for the logs created in [{@code from}, {@code to}), and the queue at the time of the call.
 *
 * <p>Counts come from the delivery logs, which are written once per terminal outcome, so every state
 * here is terminal (SENT, FAILED, SKIPPED, CANCELLED). A state with no logs is absent from a map. Logs
 * without a rule, campaign or provider are left out of {@code byRule}, {@code byCampaign} and
 * {@code byProvider} respectively (they still count in {@code byState} and {@code byDay}). All maps are
 * unmodifiable; keys are sorted (states in enum order).
 *
 * @param from start of the window, inclusive
 * @param to end of the window, exclusive
 * @param zone the engine's time zone, which defines the days of {@code byDay}
 * @param byState log counts by state
 * @param byRule log counts by rule name, then state
 * @param byCampaign log counts by campaign id, then state
 * @param byProvider log counts by provider id, then state
 * @param byDay log counts by the log's day in {@code zone}, then state
 * @param successRate SENT / (SENT + FAILED), between 0 and 1; 0 when there is neither (never NaN). SENT means
 *     accepted by the provider; what became of it afterwards is in {@code sentByDeliveryStatus}
 * @param processingP50Millis median processing time (claim to outcome) of SENT and FAILED logs, nearest-rank; 0 when none
 * @param processingP95Millis 95th percentile of the same, nearest-rank; 0 when none
 * @param skippedByReason SKIPPED log counts by reason ({@code unknown} when a log has no reason)
 * @param queueDepth PENDING entries due now
 * @param oldestDueAge how long the oldest due PENDING entry has been due; zero when none
 * @param sentByDeliveryStatus SENT logs by the delivery status the provider reported last through its webhook
 *     ({@code NONE} when it reported none): {@code FAILED} here are messages accepted and then not delivered
 */
public record AnalyticsSummary(Instant from, Instant to, ZoneId zone,
                               Map<EntryState, Long> byState,
                               Map<String, Map<EntryState, Long>> byRule,
                               Map<String, Map<EntryState, Long>> byCampaign,
                               Map<String, Map<EntryState, Long>> byProvider,
                               Map<LocalDate, Map<EntryState, Long>> byDay,
                               double successRate, long processingP50Millis, long processingP95Millis,
                               Map<String, Long> skippedByReason, long queueDepth, Duration oldestDueAge,
                               Map<DeliveryStatus, Long> sentByDeliveryStatus) {
  public AnalyticsSummary {
    Check.notNull(from, "summary from");
    Check.notNull(to, "summary to");
    Check.notNull(zone, "summary zone");
    byState = states(byState);
    byRule = nested(byRule);
    byCampaign = nested(byCampaign);
    byProvider = nested(byProvider);
    byDay = nested(byDay);
    skippedByReason = Collections.unmodifiableMap(new TreeMap<>(Check.notNull(skippedByReason, "skippedByReason")));
    Check.notNegative(Check.notNull(oldestDueAge, "oldestDueAge"), "oldestDueAge");
    java.util.EnumMap<DeliveryStatus, Long> byDelivery = new java.util.EnumMap<>(DeliveryStatus.class);
    byDelivery.putAll(Check.notNull(sentByDeliveryStatus, "sentByDeliveryStatus"));
    sentByDeliveryStatus = Collections.unmodifiableMap(byDelivery);
    if (Double.isNaN(successRate) || successRate < 0 || successRate > 1) {
      throw new IllegalArgumentException("successRate must be within [0, 1], got " + successRate);
    }
  }

  /** Logs of {@code state} in the window. */
  public long count(EntryState state) {
    return byState.getOrDefault(state, 0L);
  }

  /** All logs in the window. */
  public long total() {
    return byState.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<EntryState, Long> states(Map<EntryState, Long> counts) {
    Check.notNull(counts, "state counts");
    return Collections.unmodifiableMap(counts.isEmpty() ? new EnumMap<>(EntryState.class) : new EnumMap<>(counts));
  }

  private static <K extends Comparable<? super K>> Map<K, Map<EntryState, Long>> nested(Map<K, Map<EntryState, Long>> counts) {
    Check.notNull(counts, "grouped counts");
    TreeMap<K, Map<EntryState, Long>> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, states(v)));
    return Collections.unmodifiableMap(copy);
  }
}
