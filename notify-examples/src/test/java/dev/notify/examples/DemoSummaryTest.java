package dev.notify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {
  private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");
  private int ids;

  private DeliveryLog log(String rule, String campaign, EntryState state, String reason, int attempts) {
    return new DeliveryLog("L" + ids++, null, rule, campaign, "+6281200000001", null, "t", state, reason, null, null, null,
        attempts, 0, null, T);
  }

  @Test
  void logsAreCountedPerRule_withSkipsByReason_failuresByCode_andRetries() {
    DemoSummary s = DemoSummary.fromLogs(List.of(
        log("r", null, EntryState.SENT, null, 1),
        log("r", null, EntryState.SENT, null, 3),
        log("r", null, EntryState.SKIPPED, "blacklisted", 0),
        log("r", null, EntryState.SKIPPED, "blacklisted", 0),
        log("r", null, EntryState.FAILED, "131026", 1),
        log("r", null, EntryState.CANCELLED, "campaign_cancelled", 0)), id -> "unused", ZoneOffset.UTC);

    assertThat(s.rows()).singleElement().isEqualTo(new DemoSummary.Row("r", 2, 1, Map.of("blacklisted", 2L),
        Map.of("131026", 1L), 1, 5, 1, Map.of("00:00", 2L)));
  }

  @Test
  void logsWithoutRule_areCountedUnderTheirCampaignsName() {
    DemoSummary s = DemoSummary.fromLogs(List.of(
        log(null, "c1", EntryState.SKIPPED, "in_address_book", 0),
        log(null, "c1", EntryState.SENT, null, 1)), id -> id.equals("c1") ? "blast" : "?", ZoneOffset.UTC);

    assertThat(s.row("campaign blast")).hasValueSatisfying(r -> {
      assertThat(r.sent()).isEqualTo(1);
      assertThat(r.skipped()).containsExactlyEntriesOf(Map.of("in_address_book", 1L));
    });
    assertThat(s.totalSent()).isEqualTo(1);
    assertThat(s.totalSkipped()).isEqualTo(1);
  }
}
