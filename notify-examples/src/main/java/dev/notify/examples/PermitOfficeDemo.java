package dev.notify.examples;

import dev.notify.core.Campaign;
import dev.notify.core.CampaignProgress;
import dev.notify.core.CampaignSpec;
import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.FireResult;
import dev.notify.core.JobInfo;
import dev.notify.core.NotificationEngine;
import dev.notify.core.RecordingProvider;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import dev.notify.examples.domain.Complaint;
import dev.notify.jdbc.JdbcStore;
import dev.notify.examples.domain.Document;
import dev.notify.examples.domain.Permit;
import dev.notify.examples.domain.PermitOfficeDatabase;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A permit office (DPMPTSP) back office for one simulated day, Monday 1 June 2026, on the embedded store and
 * the recording provider (no WhatsApp account needed). It reproduces the use cases of the planning documents
 * and prints what was sent, skipped and failed per rule:
 * <ol>
 *   <li>permits go from draft to approved → the applicant gets {@code permit_ready};</li>
 *   <li>a campaign warns every holder of a permit expiring within 30 days, in batches of 100;</li>
 *   <li>at 10:00 staff are reminded of documents waiting for a signature more than 24 hours;</li>
 *   <li>a document needs a signature → staff and officials are told;</li>
 *   <li>a document is signed → the applicant is told;</li>
 *   <li>recaps at 07:00 (daily; weekly on Monday; monthly on the 1st) and a complaint auto-reply every
 *       5 minutes, schedules overridable with {@code NOTIFY_JOB_<CODE>_CRON};</li>
 *   <li>an information blast with the skip-known-contacts filter on and off;</li>
 *   <li>a number that asked to stop, an invalid number, a flaky gateway (two failures, then accepted) and a
 *       number that is not on WhatsApp.</li>
 * </ol>
 *
 * <p>Time is simulated ({@link SimulatedClock}); the engine runs without background threads and the demo
 * drives it with {@code runDueJobs()} and {@code dispatchNow()} minute by minute, so a run takes about a
 * second and always prints the same thing.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl notify-examples exec:java}. With
 * {@code NOTIFY_DEMO_PROVIDER=fonnte|watzap|meta} and {@code NOTIFY_DEMO_TO=<your number>} (plus the
 * provider's own settings) it sends two real messages to your number instead; see docs/user-guide.md.
 */
public final class PermitOfficeDemo {
  /** The simulated office day: a Monday and the first of the month, so every recap is due at 07:00. */
  public static final LocalDate DAY = LocalDate.of(2026, 6, 1);
  /** Chooses the provider: {@code recording} (default), {@code fonnte}, {@code watzap} or {@code meta}. */
  public static final String PROVIDER_ENV = "NOTIFY_DEMO_PROVIDER";
  /** With a real provider: the only number the demo sends to. */
  public static final String TO_ENV = "NOTIFY_DEMO_TO";

  private static final int SHOWN_PER_RULE = 3;
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm");

  private final PrintStream out;
  private final Function<String, String> env;
  private final Path dataDir;
  private final SimulatedClock clock = new SimulatedClock(DAY.atTime(6, 0).atZone(NotificationSetup.ZONE).toInstant(),
      NotificationSetup.ZONE);
  private final PermitOfficeDatabase db = new PermitOfficeDatabase(DAY);
  private NotificationEngine engine;
  private Instant reportedUpTo = Instant.EPOCH;

  /**
   * @param out where the demo prints
   * @param env environment lookup (provider choice, provider settings, job schedules)
   * @param dataDir directory of the embedded database
   */
  public PermitOfficeDemo(PrintStream out, Function<String, String> env, Path dataDir) {
    this.out = out;
    this.env = env;
    this.dataDir = dataDir;
  }

  public static void main(String[] args) {
    new PermitOfficeDemo(System.out, System::getenv, Path.of("target", "notify-demo")).run();
  }

  /** Runs the day and returns the per-rule summary (also printed). */
  public DemoSummary run() {
    String providerId = env.apply(PROVIDER_ENV);
    if (providerId != null && !providerId.isBlank() && !providerId.strip().equalsIgnoreCase(RecordingProvider.ID)) {
      return runWithRealProvider(providerId.strip().toLowerCase(Locale.ROOT));
    }
    RecordingProvider provider = new RecordingProvider().failWith(PermitOfficeDemo::gatewayScript);
    engine = NotificationSetup.configure(baseBuilder().provider(provider), db, clock).build().start();
    try {
      out.println("notify demo: permit office, " + DAY + " (Monday), store " + engine.store().getClass().getSimpleName()
          + ", provider '" + provider.id() + "' (records, sends nowhere)");
      printJobs();
      optOut();
      approvePermits();          // 06:30, use cases 1 and 8
      documentNeedsSignature();  // 06:40, use case 4
      documentSigned();          // 06:50, use case 5
      recapsAndComplaints();     // 07:00-07:10, use case 6
      expiryCampaign();          // 08:00-08:15, use case 2
      blast();                   // 09:00-09:10, use case 7
      lateComplaint();           // 09:31, use case 6
      pendingReminder();         // 10:00, use case 3
      return summary();
    } finally {
      engine.close();
    }
  }

  /** What the recording "gateway" answers: the flaky number fails twice, the unreachable one for good. */
  static SendResult gatewayScript(OutboundMessage m) {
    if (m.phone().equals(e164(PermitOfficeDatabase.FLAKY_PHONE)) && m.attempt() <= 2) {
      return SendResult.retryable("503", "gateway sementara tidak tersedia");
    }
    if (m.phone().equals(e164(PermitOfficeDatabase.UNREACHABLE_PHONE))) {
      return SendResult.permanent("not_on_whatsapp", "nomor tidak terdaftar di WhatsApp");
    }
    return null; // accept
  }

  private static String e164(String indonesianNumber) {
    return "+62" + indonesianNumber.replaceAll("[^0-9]", "").substring(1);
  }

  private NotificationEngine.Builder baseBuilder() {
    return NotificationEngine.builder()
        .store(openStore())
        .clock(clock)
        .environment(env)                  // NOTIFY_JOB_DAILY_RECAP_CRON etc. and provider settings
        .backgroundDispatch(false)         // the demo calls dispatchNow() ...
        .backgroundJobs(false)             // ... and runDueJobs() as its simulated time moves
        .retryBackoff(Duration.ofMinutes(1), Duration.ofMinutes(30), 0.0) // 1, 2, 4 ... minutes, no jitter
        .nodeId("demo");
  }

  /** The embedded H2 database in {@code dataDir/notify.mv.db}, fresh for every run so runs are reproducible. */
  private NotificationStore openStore() {
    Path file = dataDir.resolve("notify");
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(dataDir.resolve("notify.mv.db"));
      Files.deleteIfExists(dataDir.resolve("notify.trace.db"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the demo database in " + dataDir.toAbsolutePath(), e);
    }
    return JdbcStore.h2File(file);
  }

  // ---- the day ----

  private void printJobs() {
    out.println();
    out.println("Jobs (schedules from code, or NOTIFY_JOB_<NAME>_CRON):");
    for (JobInfo j : engine.jobs().list()) {
      out.printf("  %-32s %-14s next %s%n", j.name(), j.schedule(), j.nextRun() == null ? "-" : local(j.nextRun()));
    }
  }

  private void optOut() {
    // earlier, Rahmat Hidayat replied "STOP" (a webhook would have done this; see WebhookServer)
    engine.blacklist().add(PermitOfficeDatabase.OPTED_OUT_PHONE, "membalas STOP");
    out.println();
    out.println("06:00  " + mask(e164(PermitOfficeDatabase.OPTED_OUT_PHONE)) + " is on the blacklist (replied STOP earlier)");
  }

  private void approvePermits() {
    advanceTo(LocalTime.of(6, 30));
    section("06:30  Use cases 1 and 8: six draft permits approved (one opted out, one invalid number, "
        + "one flaky gateway, one number not on WhatsApp)");
    for (String id : List.of("P-0001", "P-0003", "P-0005", "P-0007", "P-0009", "P-0011")) {
      Permit before = db.permit(id);
      Permit after = before.withState("approved");
      db.save(after);                                             // the host's own write ...
      FireResult r = engine.recordChanged("permit", before, after); // ... then tell notify what changed
      for (FireResult.Skip s : r.skipped()) out.printf("  fire %s: not queued (%s) %s%n", id, s.reason(), s.detail());
    }
    engine.dispatchNow();
    advanceTo(LocalTime.of(6, 35)); // the flaky number is retried at 06:31 and 06:33
    report(6);
  }

  private void documentNeedsSignature() {
    advanceTo(LocalTime.of(6, 40));
    section("06:40  Use case 4: document D-101 goes to signature; staff and officials are told");
    change(db.document("D-101"), d -> d.pendingSignature(now()));
    report();
  }

  private void documentSigned() {
    advanceTo(LocalTime.of(6, 50));
    section("06:50  Use case 5: document D-100 is signed; the applicant is told");
    change(db.document("D-100"), d -> d.signed(now()));
    report();
  }

  private void recapsAndComplaints() {
    advanceTo(LocalTime.of(7, 1));
    section("07:00  Use case 6: daily, weekly (Monday) and monthly (1st) recaps to the leaders");
    report();
    advanceTo(LocalTime.of(7, 2));
    db.addComplaint(new Complaint("ADU-0601-1", "Yanti", "0878-1000-0001", "antrian loket lama", now()));
    advanceTo(LocalTime.of(7, 3));
    db.addComplaint(new Complaint("ADU-0601-2", "Hasan", "0878-1000-0002", "berkas hilang", now()));
    advanceTo(LocalTime.of(7, 11));
    section("07:02  Use case 6: two complaints arrive; the auto-reply job (every 5 minutes) answers each once");
    report();
  }

  private void expiryCampaign() {
    advanceTo(LocalTime.of(8, 0));
    section("08:00  Use case 2: campaign 'peringatan_masa_berlaku_30_hari' to the " + PermitOfficeDatabase.EXPIRING
        + " permits expiring within 30 days, 100 per batch every 5 minutes");
    String id = engine.campaigns().create(CampaignSpec.builder("peringatan_masa_berlaku_30_hari")
        .description("Peringatan masa berlaku izin 30 hari")
        .rule("warn_permit_expiring")                       // each target permit is the rule's record
        .targets("expiring_permits", Map.of("days", "30"))
        .batchSize(100).batchInterval(Duration.ofMinutes(5))
        .build());
    engine.campaigns().start(id);                           // first batch now, the next ones by the campaign-batches job
    engine.dispatchNow();
    progress(id);
    advanceTo(LocalTime.of(8, 16));
    report();
    progress(id);
  }

  private void blast() {
    advanceTo(LocalTime.of(9, 0));
    section("09:00  Use case 7: information blast to " + PermitOfficeDatabase.COMMUNITY_CONTACTS + " community contacts, "
        + PermitOfficeDatabase.KNOWN_CONTACTS + " already in the address book: skip-known-contacts filter on, then off");
    List<String> ids = new ArrayList<>();
    for (boolean skipKnown : List.of(true, false)) {
      String id = engine.campaigns().create(CampaignSpec.builder("sosialisasi_filter_" + (skipKnown ? "on" : "off"))
          .template("sosialisasi")                          // a bare template: each target is a Recipient
          .targets("community_contacts")
          .skipRecipientsInAddressBook(skipKnown)           // seed 004; the default is true
          .build());
      engine.campaigns().start(id);
      ids.add(id);
    }
    engine.dispatchNow();
    advanceTo(LocalTime.of(9, 10));
    report();
    ids.forEach(this::progress);
  }

  private void progress(String campaignId) {
    CampaignProgress p = engine.campaigns().progress(campaignId);
    out.printf("  campaign %s: %s, %s %d targets: %d sent, %d skipped (%d in address book), %d failed, %d pending%n",
        campaignName(campaignId), p.state(), p.allTargetsRead() ? "all" : "first", p.targets(), p.sent(), p.skipped(),
        p.skippedInAddressBook(), p.failed(), p.pending());
  }

  private void lateComplaint() {
    advanceTo(LocalTime.of(9, 31));
    db.addComplaint(new Complaint("ADU-0601-3", "Wayan", "0878-1000-0003", "biaya retribusi", now()));
    advanceTo(LocalTime.of(9, 36));
    section("09:31  Use case 6: another complaint; answered at the 09:35 tick (the earlier two are not answered again)");
    report();
  }

  private void pendingReminder() {
    advanceTo(LocalTime.of(10, 1));
    section("10:00  Use case 3: staff reminded of documents waiting for a signature more than 24 hours");
    report();
  }

  // ---- with a real provider: two messages to NOTIFY_DEMO_TO ----

  private DemoSummary runWithRealProvider(String providerId) {
    String to = env.apply(TO_ENV);
    if (to == null || to.isBlank()) {
      throw new IllegalStateException(PROVIDER_ENV + "=" + providerId + " sends real WhatsApp messages: set " + TO_ENV
          + " to your own number (e.g. 0812...) so the demo does not message the fictional applicants");
    }
    engine = NotificationSetup.configure(baseBuilder().provider(providerId), db, clock).build().start();
    try {
      out.println("notify demo with provider '" + providerId + "': two messages to " + mask(to));
      advanceTo(LocalTime.of(6, 30));
      Permit p = db.permit("P-0001");
      Permit before = new Permit(p.id(), p.number(), p.type(), p.state(), p.applicantName(), to, p.expiresOn());
      engine.recordChanged("permit", before, before.withState("approved"));
      Document d = db.document("D-100");
      Document pending = new Document(d.id(), d.number(), d.permitNumber(), d.applicantName(), to, d.state(), d.pendingSince(), null);
      engine.recordChanged("document", pending, pending.signed(now()));
      engine.dispatchNow();
      // retries, if the provider asked for them; no job runs, so the recaps and complaint replies, which would go to
      // the fictional staff and complainants, are not sent
      dispatchUntil(LocalTime.of(7, 0));
      report();
      return summary();
    } finally {
      engine.close();
    }
  }

  // ---- helpers ----

  private void change(Document before, java.util.function.UnaryOperator<Document> how) {
    Document after = how.apply(before);
    db.save(after);
    engine.recordChanged("document", before, after);
    engine.dispatchNow();
  }

  /** Moves simulated time minute by minute up to {@code time} of the day, running due jobs and sends at each step. */
  private Instant advanceTo(LocalTime time) {
    return advanceTo(time, true);
  }

  /** Moves simulated time minute by minute up to {@code time} of the day, sending what is due; runs no job. */
  private void dispatchUntil(LocalTime time) {
    advanceTo(time, false);
  }

  private Instant advanceTo(LocalTime time, boolean runJobs) {
    Instant target = DAY.atTime(time).atZone(NotificationSetup.ZONE).toInstant();
    while (clock.instant().isBefore(target)) {
      Instant next = clock.instant().plus(Duration.ofMinutes(1));
      clock.advance(Duration.between(clock.instant(), next.isAfter(target) ? target : next));
      if (runJobs) engine.runDueJobs();
      engine.dispatchNow();
    }
    return clock.instant();
  }

  private LocalDateTime now() { return LocalDateTime.now(clock.withZone(NotificationSetup.ZONE)); }

  private void section(String title) {
    out.println();
    out.println(title);
  }

  /** Prints the outcomes logged since the last report: the first few per rule, then counts. */
  private void report() { report(SHOWN_PER_RULE); }

  private void report(int shownPerRule) {
    Instant upTo = clock.instant().plusMillis(1);
    List<DeliveryLog> logs = engine.store().logs(LogQuery.between(reportedUpTo, upTo));
    reportedUpTo = upTo;
    Map<String, List<DeliveryLog>> byName = new LinkedHashMap<>();
    for (DeliveryLog l : logs) byName.computeIfAbsent(label(l), k -> new ArrayList<>()).add(l);
    if (byName.isEmpty()) out.println("  (nothing sent)");
    byName.forEach((name, list) -> {
      out.println("  " + name + ":");
      list.stream().limit(shownPerRule).forEach(l -> out.println("    " + line(l)));
      if (list.size() > shownPerRule) {
        Map<EntryState, Long> counts = new LinkedHashMap<>();
        list.stream().skip(shownPerRule).forEach(l -> counts.merge(l.state(), 1L, Long::sum));
        out.println("    ... and " + (list.size() - shownPerRule) + " more " + counts);
      }
    });
  }

  private String line(DeliveryLog l) {
    String head = String.format("%s %-7s %-15s ", local(l.createdAt()), l.state(), mask(l.phone()));
    switch (l.state()) {
      case SENT:
        return head + l.message() + (l.attempts() > 1 ? "  [after " + l.attempts() + " attempts]" : "");
      case FAILED:
        return head + l.reason() + ": " + l.message() + " [" + l.attempts() + " attempt" + (l.attempts() == 1 ? "" : "s") + "]";
      default:
        return head + l.reason() + (l.message() == null ? "" : " (" + l.message() + ")");
    }
  }

  private String label(DeliveryLog l) {
    if (l.ruleName() != null) return l.ruleName();
    return l.campaignId() == null ? "(test sends)" : "campaign " + campaignName(l.campaignId());
  }

  private String campaignName(String id) {
    return engine.store().findCampaign(id).map(Campaign::name).orElse(id);
  }

  private DemoSummary summary() {
    DemoSummary s = DemoSummary.fromLogs(engine.store().logs(LogQuery.all()), this::campaignName, NotificationSetup.ZONE);
    out.println();
    out.println("Summary per rule (from the delivery logs in the store):");
    out.print(s.table());
    return s;
  }

  private String local(Instant t) {
    ZonedDateTime z = ZonedDateTime.ofInstant(t, NotificationSetup.ZONE);
    return z.toLocalDate().equals(DAY) ? z.format(HHMM) : z.format(DateTimeFormatter.ofPattern("dd-MM HH:mm"));
  }

  /**
   * {@code +62812****0001}: enough to tell numbers apart in a demo, not enough to dial. At least four characters are
   * always hidden (before, a 10-character number such as a raw invalid one was printed whole).
   */
  static String mask(String phone) {
    if (phone == null) return "?";
    if (phone.length() < 8) return phone.charAt(0) + "***";
    int keepEnd = Math.min(4, phone.length() - 10);
    if (keepEnd < 1) return phone.substring(0, 4) + "****" + phone.substring(phone.length() - Math.min(2, phone.length() - 8));
    return phone.substring(0, 6) + "****" + phone.substring(phone.length() - keepEnd);
  }
}
