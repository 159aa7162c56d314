package dev.notify.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

import dev.notify.examples.DemoSummary.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole simulated office day and checks its summary. The expected numbers follow from the demo's
 * data ({@code PermitOfficeDatabase}): see the comment on each assertion.
 */
class PermitOfficeDemoTest {
  @TempDir static Path dir;
  /** One run with the default environment, shared by the tests that only read its summary or output. */
  private static DemoSummary day;
  private static String printed;

  @BeforeAll
  static void runTheDay() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    day = run(Map.of(), out, dir.resolve("default"));
    printed = out.toString(StandardCharsets.UTF_8);
  }

  private static DemoSummary run(Map<String, String> env, ByteArrayOutputStream out, Path dataDir) {
    return new PermitOfficeDemo(new PrintStream(out, true, StandardCharsets.UTF_8), env::get, dataDir).run();
  }

  private static DemoSummary run(Map<String, String> env, String name) {
    return run(env, new ByteArrayOutputStream(), dir.resolve(name));
  }

  private static Row row(DemoSummary s, String name) {
    return s.row(name).orElseThrow(() -> new AssertionError("no row '" + name + "' in\n" + s.table()));
  }

  @Test
  void approvedPermits_sendPermitReady_exceptTheOptedOutAndInvalidNumbers_andTheUnreachableOneFails() {
    Row r = row(day, "notify_permit_approved");

    // six drafts approved: P-0001, P-0003 and the flaky P-0009 are sent; P-0005 opted out; P-0007 invalid; P-0011 not on WhatsApp
    assertThat(r.sent()).isEqualTo(3);
    assertThat(r.skipped()).containsExactlyInAnyOrderEntriesOf(Map.of("blacklisted", 1L, "invalid_phone", 1L));
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.failedByReason()).containsExactlyEntriesOf(Map.of("not_on_whatsapp", 1L));
  }

  @Test
  void flakyGateway_isRetriedUntilAccepted_andThePermanentFailureIsNotRetried() {
    Row r = row(day, "notify_permit_approved");

    // one message needed retries; provider calls: 1 + 1 (P-0001, P-0003) + 3 (flaky: 2 failures, then accepted) + 1 (permanent)
    assertThat(r.retried()).isEqualTo(1);
    assertThat(r.attempts()).isEqualTo(6);
    // approved at 06:30; the flaky number fails at 06:30 and 06:31 (backoff 1 min, then 2 min) and is accepted at 06:33
    assertThat(r.sentAt()).containsExactlyInAnyOrderEntriesOf(Map.of("06:30", 2L, "06:33", 1L));
  }

  @Test
  void documentUseCases_reachStaffOfficialsAndTheApplicant() {
    DemoSummary s = day;

    assertThat(row(s, "notify_document_needs_signature").sent()).isEqualTo(6); // 4 staff + 2 officials
    assertThat(row(s, "notify_document_signed").sent()).isEqualTo(1);          // D-100's applicant
    // D-102, D-103, D-105 waited more than 24 hours at 10:00 (D-104 and D-101 did not): 3 documents x 4 staff
    assertThat(row(s, "remind_pending_documents").sent()).isEqualTo(12);
  }

  @Test
  void outboxAndGatewayScheme_sendsEveryRecapOnMondayTheFirst_andAnswersEachComplaintOnce() {
    DemoSummary s = day;

    assertThat(row(s, "send_daily_recap").sent()).isEqualTo(2); // 2 leaders
    assertThat(row(s, "send_weekly_recap").sent()).isEqualTo(2);
    assertThat(row(s, "send_monthly_recap").sent()).isEqualTo(2);
    // three complaints, each still open at several 5-minute ticks, answered once each
    assertThat(row(s, "reply_complaint").sentAt()).containsExactlyInAnyOrderEntriesOf(Map.of("07:05", 2L, "09:35", 1L));
    assertThat(row(s, "send_daily_recap").sentAt()).containsOnlyKeys("07:00");
  }

  @Test
  void expiryCampaign_warnsEveryExpiringHolderInBatchesOf100_exceptTheOptedOutOne() {
    Row r = row(day, "warn_permit_expiring");

    // 250 permits expire within 30 days; P-0008 belongs to the opted-out applicant and is in the first batch
    assertThat(r.sent()).isEqualTo(249);
    assertThat(r.skipped()).containsExactlyEntriesOf(Map.of("blacklisted", 1L));
    assertThat(r.failed()).isZero();
    assertThat(r.sentAt()).containsExactlyInAnyOrderEntriesOf(Map.of("08:00", 99L, "08:05", 100L, "08:10", 50L));
  }

  @Test
  void skipKnownContactsFilter_onSkipsTheNumbersInTheAddressBook_offSendsToEveryone() {
    DemoSummary s = day;

    Row on = row(s, "campaign sosialisasi_filter_on");
    Row off = row(s, "campaign sosialisasi_filter_off");
    // 40 community contacts, 15 of them in the office's address book
    assertThat(on.sent()).isEqualTo(25);
    assertThat(on.skipped()).containsExactlyEntriesOf(Map.of("in_address_book", 15L));
    assertThat(off.sent()).isEqualTo(40);
    assertThat(off.skipped()).isEmpty();
  }

  @Test
  void recapScheduleFromTheEnvironment_replacesTheDefault() {
    DemoSummary s = run(Map.of("NOTIFY_JOB_WEEKLY_RECAP_CRON", "0 7 * * 2"), "tuesday"); // not on the demo's Monday

    assertThat(s.row("send_weekly_recap")).isEmpty();
    assertThat(row(s, "send_daily_recap").sent()).isEqualTo(2);
  }

  @Test
  void everyRunSendsTheSameMessages() {
    DemoSummary again = run(Map.of(), "again");

    assertThat(again).isEqualTo(day);
  }

  @Test
  void printedOutput_isTensOfLines_withTheSummaryTable() {
    String out = printed;

    assertThat(out.lines().count()).isBetween(30L, 130L);
    assertThat(out).contains("Summary per rule").contains("notify_permit_approved").contains("+62812****0001");
    assertThat(out).doesNotContain("081234").doesNotContain("+6281210");
  }

  @Test
  void theDayIsKeptInTheEmbeddedH2File() {
    assertThat(dir.resolve("default").resolve("notify.mv.db")).isRegularFile();
    assertThat(printed).contains("store JdbcStore");
  }

  @Test
  void realProviderWithoutATargetNumber_isRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> run(Map.of("NOTIFY_DEMO_PROVIDER", "fonnte", "NOTIFY_FONNTE_TOKEN", "x"), "fonnte"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NOTIFY_DEMO_TO");
  }

  /** Before, the clock was moved to 07:00 with the jobs running: the recaps went to the fictional staff for real. */
  @Test
  void realProvider_sendsOnlyTheTwoMessagesToTheGivenNumber() throws Exception {
    try (MockWebServer gateway = new MockWebServer()) {
      for (int i = 0; i < 20; i++) {
        gateway.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
            .setBody("{\"detail\":\"success! message in queue\",\"id\":[" + (100 + i) + "],\"process\":\"pending\",\"status\":true,\"target\":[\"6281299990000\"]}"));
      }
      gateway.start();

      run(Map.of("NOTIFY_DEMO_PROVIDER", "fonnte", "NOTIFY_FONNTE_TOKEN", "demo-token-123",
          "NOTIFY_FONNTE_BASE_URL", gateway.url("/").toString(), "NOTIFY_DEMO_TO", "081299990000"), "fonnte-real");

      assertThat(gateway.getRequestCount()).isEqualTo(2);
      for (int i = 0; i < 2; i++) {
        assertThat(gateway.takeRequest().getBody().readUtf8()).contains("6281299990000");
      }
    }
  }

  /** Before, a 10-character number kept its first 6 and last 4 characters: every digit was printed. */
  @org.junit.jupiter.api.Test
  void mask_alwaysHidesAtLeastFourCharacters() {
    assertThat(PermitOfficeDemo.mask("+6281200000001")).isEqualTo("+62812****0001");
    assertThat(PermitOfficeDemo.mask("0812345678")).isEqualTo("0812****78");
    assertThat(PermitOfficeDemo.mask("08123456")).isEqualTo("0812****");
  }
}
