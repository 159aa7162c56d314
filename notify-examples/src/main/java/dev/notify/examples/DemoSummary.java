package dev.notify.examples;

import dev.notify.core.DeliveryLog;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the demo did, per rule (or per campaign for campaigns that send a bare template), computed from the
 * delivery logs in the store: one log row is written per final outcome of every notification, so the
 * counts are exactly what an operator would see.
 *
 * @param rows one row per rule / campaign, sorted by name
 */
public record DemoSummary(List<Row> rows) {
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm");

  public DemoSummary {
    rows = List.copyOf(rows);
  }

  /**
   * Outcomes of one rule or campaign.
   *
   * @param name rule name, or {@code campaign <name>} for logs without a rule
   * @param sent messages the provider accepted
   * @param failed messages that failed for good
   * @param skipped messages not sent, by reason ({@code blacklisted}, {@code invalid_phone}, {@code in_address_book}, ...)
   * @param failedByReason failures by provider error code
   * @param cancelled messages cancelled (e.g. with their campaign)
   * @param attempts provider calls made in total (retries included)
   * @param retried messages whose outcome came after more than one provider call
   * @param sentAt SENT messages by the local time (HH:mm) they were sent: shows batches and schedules
   */
  public record Row(String name, long sent, long failed, Map<String, Long> skipped, Map<String, Long> failedByReason,
                    long cancelled, long attempts, long retried, Map<String, Long> sentAt) {
    public Row {
      skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
      failedByReason = Collections.unmodifiableMap(new TreeMap<>(failedByReason));
      sentAt = Collections.unmodifiableMap(new TreeMap<>(sentAt));
    }

    /** All skipped messages. */
    public long skippedTotal() { return skipped.values().stream().mapToLong(Long::longValue).sum(); }
  }

  /**
   * Groups delivery logs by rule (or campaign).
   *
   * @param logs the logs to count
   * @param campaignName campaign id → campaign name, for logs without a rule
   * @param zone the zone of the {@code sentAt} times
   */
  public static DemoSummary fromLogs(List<DeliveryLog> logs, Function<String, String> campaignName, ZoneId zone) {
    Map<String, Acc> byName = new TreeMap<>();
    for (DeliveryLog l : logs) {
      String name = l.ruleName() != null ? l.ruleName()
          : l.campaignId() != null ? "campaign " + campaignName.apply(l.campaignId()) : "(test sends)";
      Acc a = byName.computeIfAbsent(name, k -> new Acc());
      a.attempts += l.attempts();
      if (l.attempts() > 1) a.retried++;
      String reason = l.reason() == null ? "unknown" : l.reason();
      switch (l.state()) {
        case SENT:
          a.sent++;
          a.sentAt.merge(HHMM.format(l.createdAt().atZone(zone)), 1L, Long::sum);
          break;
        case FAILED: a.failed++; a.failedBy.merge(reason, 1L, Long::sum); break;
        case SKIPPED: a.skipped.merge(reason, 1L, Long::sum); break;
        case CANCELLED: a.cancelled++; break;
        default: break;
      }
    }
    List<Row> rows = new ArrayList<>();
    byName.forEach((n, a) -> rows.add(new Row(n, a.sent, a.failed, a.skipped, a.failedBy, a.cancelled, a.attempts, a.retried, a.sentAt)));
    return new DemoSummary(rows);
  }

  /** The row of a rule (or {@code campaign <name>}). */
  public Optional<Row> row(String name) {
    return rows.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public long totalSent() { return rows.stream().mapToLong(Row::sent).sum(); }
  public long totalFailed() { return rows.stream().mapToLong(Row::failed).sum(); }
  public long totalSkipped() { return rows.stream().mapToLong(Row::skippedTotal).sum(); }

  /** The summary as a fixed-width text table. */
  public String table() {
    StringBuilder out = new StringBuilder();
    String format = "%-36s %5s %6s %7s  %s%n";
    out.append(String.format(format, "rule / campaign", "sent", "failed", "skipped", "details"));
    out.append("-".repeat(100)).append('\n');
    for (Row r : rows) {
      List<String> details = new ArrayList<>();
      r.skipped().forEach((reason, n) -> details.add("skipped " + reason + " " + n));
      r.failedByReason().forEach((reason, n) -> details.add("failed " + reason + " " + n));
      if (r.retried() > 0) details.add(r.retried() + " needed retries (" + r.attempts() + " provider calls in all)");
      if (r.cancelled() > 0) details.add("cancelled " + r.cancelled());
      out.append(String.format(format, r.name(), r.sent(), r.failed(), r.skippedTotal(), String.join(", ", details)));
    }
    out.append("-".repeat(100)).append('\n');
    out.append(String.format(format, "total", totalSent(), totalFailed(), totalSkipped(), ""));
    return out.toString();
  }

  private static final class Acc {
    long sent;
    long failed;
    long cancelled;
    long attempts;
    long retried;
    final Map<String, Long> skipped = new LinkedHashMap<>();
    final Map<String, Long> failedBy = new LinkedHashMap<>();
    final Map<String, Long> sentAt = new LinkedHashMap<>();
  }
}
