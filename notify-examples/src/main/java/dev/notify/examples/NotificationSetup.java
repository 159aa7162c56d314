package dev.notify.examples;

import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.Recipient;
import dev.notify.core.Recipients;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import dev.notify.core.spi.RecipientDirectory;
import dev.notify.examples.domain.Permit;
import dev.notify.examples.domain.PermitOfficeDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything the permit office tells notify: message templates, triggers, rules, and the adapters from its
 * own database (who is in which group, which records a scheduled trigger looks at, who a campaign targets,
 * which numbers are already contacts). This is the part a host application writes; the store, provider,
 * clock and threads are chosen by whoever runs it ({@link PermitOfficeDemo}).
 *
 * <p>Names follow the planning documents: triggers {@code permit_state_change}, {@code document_pending_signature},
 * {@code document_signed}, {@code cron_document_pending_reminder}; rules {@code notify_permit_approved},
 * {@code notify_document_needs_signature}, {@code notify_document_signed}, {@code remind_pending_documents}; the
 * outbox-and-gateway scheme's recaps ({@code daily_recap}, {@code weekly_recap}, {@code monthly_recap}) and
 * {@code complaint_auto_reply}, whose schedules can be changed with {@code NOTIFY_JOB_<CODE>_CRON}.
 */
public final class NotificationSetup {
  /** The office's time zone (WIB): cron schedules and {@code now} in expressions use it. */
  public static final ZoneId ZONE = ZoneId.of("Asia/Jakarta");

  /** Default schedules of seed 003 (overridable with NOTIFY_JOB_DAILY_RECAP_CRON etc.). */
  public static final String DAILY_RECAP_CRON = "0 7 * * *";
  public static final String WEEKLY_RECAP_CRON = "0 7 * * 1";
  public static final String MONTHLY_RECAP_CRON = "0 7 1 * *";
  public static final String COMPLAINT_REPLY_CRON = "*/5 * * * *";
  /** Seed 000 use case 3: every day at 10:00. */
  public static final String PENDING_REMINDER_CRON = "0 10 * * *";

  private static final Locale INDONESIAN = Locale.forLanguageTag("id-ID");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd-MM-yyyy");

  private NotificationSetup() {}

  /**
   * Adds the office's templates, triggers, rules and adapters to {@code builder}.
   *
   * @param builder an engine builder with the store, provider, clock and threads already chosen
   * @param db the office's database
   * @param clock the clock the engine uses (record sources use it to label recaps and find expiring permits)
   */
  public static NotificationEngine.Builder configure(NotificationEngine.Builder builder, PermitOfficeDatabase db, Clock clock) {
    templates(builder);
    adapters(builder, db, clock);
    triggers(builder);
    rules(builder);
    return builder.zone(ZONE);
  }

  private static void templates(NotificationEngine.Builder b) {
    b.template(MessageTemplate.of("permit_ready",
        "Yth. {{partner_name}}, izin {{permit_type}} nomor {{permit_number}} telah disetujui dan dapat diambil di loket DPMPTSP."));
    b.template(MessageTemplate.of("permit_reminder",
        "Yth. {{partner_name}}, izin {{permit_number}} berakhir pada {{expiry_date}}. Silakan ajukan perpanjangan melalui SiCantik."));
    b.template(MessageTemplate.of("document_pending",
        "[TTE] Dokumen {{document_number}} (pemohon {{applicant_name}}) menunggu tanda tangan Bapak/Ibu {{recipient_name}}."));
    b.template(MessageTemplate.of("document_signed",
        "Yth. {{partner_name}}, dokumen {{document_number}} telah ditandatangani secara elektronik pada {{signature_date}}."));
    b.template(MessageTemplate.of("reminder",
        "Pengingat: dokumen {{document_number}} menunggu tanda tangan sejak {{pending_since}} (lebih dari 24 jam)."));
    b.template(MessageTemplate.of("recap",
        "Rekap {{period}} {{label}}: {{permits_active}} izin aktif ({{permits_expiring}} berakhir dalam 30 hari), "
        + "{{documents_pending}} dokumen menunggu TTE, {{complaints}} pengaduan."));
    b.template(MessageTemplate.of("complaint_reply",
        "Yth. {{complainant}}, pengaduan Anda ({{ticket}}) tentang \"{{topic}}\" telah kami terima dan sedang ditindaklanjuti."));
    b.template(MessageTemplate.of("sosialisasi",
        "Halo {{recipient_name}}, kini pengajuan izin dapat dilakukan secara online di SiCantik. Balas STOP bila tidak ingin menerima info."));
  }

  private static void adapters(NotificationEngine.Builder b, PermitOfficeDatabase db, Clock clock) {
    // GROUP recipients: "staff", "officials", "leaders" are roles in the office's own database
    b.recipients(new RecipientDirectory() {
      @Override public List<Recipient> group(String name) {
        return db.peopleWithRole(name).stream().map(p -> Recipient.of(p.id(), p.name(), p.phone())).collect(Collectors.toList());
      }
    });
    // the campaign filter of seed 004: numbers already in the office's contact list
    b.addressBook(db::inAddressBook);
    // records the scheduled (CRON) triggers look at, fresh at every tick
    b.recordSource("documents_pending_signature", params -> db.documentsPendingSignature());
    b.recordSource("open_complaints", params -> db.openComplaints());
    b.recordSource("recap_daily", params -> {
      LocalDate today = LocalDate.now(clock.withZone(ZONE));
      return Stream.of(db.recap("harian", today.minusDays(1).format(DAY)));
    });
    b.recordSource("recap_weekly", params -> {
      LocalDate today = LocalDate.now(clock.withZone(ZONE));
      return Stream.of(db.recap("mingguan", today.minusDays(7).format(DAY) + " s.d. " + today.minusDays(1).format(DAY)));
    });
    b.recordSource("recap_monthly", params -> {
      LocalDate lastMonth = LocalDate.now(clock.withZone(ZONE)).minusMonths(1);
      return Stream.of(db.recap("bulanan", lastMonth.getMonth().getDisplayName(TextStyle.FULL, INDONESIAN) + " " + lastMonth.getYear()));
    });
    // campaign targets: permits expiring within params.days days; the community list of the information blast
    b.targetSource("expiring_permits", params -> db.expiringWithin(LocalDate.now(clock.withZone(ZONE)),
        Integer.parseInt(params.getOrDefault("days", "30"))));
    b.targetSource("community_contacts", params -> db.communityContacts().stream()
        .map(p -> Recipient.of(p.id(), p.name(), p.phone())));
    // a Java alternative to context expressions: Indonesian date formatting
    b.contextPreparer("permit_expiry", (record, params) -> {
      Permit p = (Permit) record;
      return Map.of("partner_name", p.applicantName(), "permit_number", p.number(),
          "expiry_date", p.expiresOn().format(DateTimeFormatter.ofPattern("d MMMM yyyy", INDONESIAN)));
    });
  }

  private static void triggers(NotificationEngine.Builder b) {
    b.trigger(Trigger.onStateChange("permit_state_change", "permit").stateTo("approved").name("Status izin berubah").build());
    b.trigger(Trigger.onStateChange("document_pending_signature", "document").stateTo("pending_signature")
        .name("Dokumen perlu ditandatangani").build());
    b.trigger(Trigger.onStateChange("document_signed", "document").stateTo("signed").name("Dokumen sudah ditandatangani").build());
    b.trigger(Trigger.cron("cron_document_pending_reminder", PENDING_REMINDER_CRON, "documents_pending_signature")
        .name("Pengingat dokumen pending").build());
    b.trigger(Trigger.cron("daily_recap", DAILY_RECAP_CRON, "recap_daily").name("Rekap harian").build());
    b.trigger(Trigger.cron("weekly_recap", WEEKLY_RECAP_CRON, "recap_weekly").name("Rekap mingguan").build());
    b.trigger(Trigger.cron("monthly_recap", MONTHLY_RECAP_CRON, "recap_monthly").name("Rekap bulanan").build());
    b.trigger(Trigger.cron("complaint_auto_reply", COMPLAINT_REPLY_CRON, "open_complaints").name("Balasan otomatis pengaduan").build());
    b.trigger(Trigger.manual("permit_expiring").name("Izin mendekati masa berlaku").build());
  }

  private static void rules(NotificationEngine.Builder b) {
    // use case 1: draft → approved; the applicant gets permit_ready
    b.rule(Rule.builder("notify_permit_approved")
        .trigger("permit_state_change")
        .condition("old != null && old.state == 'draft'")
        .recipients(Recipients.field("record.applicantPhone", "record.applicantName"))
        .context("partner_name", "record.applicantName")
        .context("permit_number", "record.number")
        .context("permit_type", "record.type")
        .template("permit_ready")
        .build());
    // use case 4: staff and officials are told a document waits for their signature
    b.rule(Rule.builder("notify_document_needs_signature")
        .trigger("document_pending_signature")
        .recipients(Recipients.group("staff"), Recipients.group("officials"))
        .context("document_number", "record.number")
        .context("applicant_name", "record.applicantName")
        .priority(7)
        .template("document_pending")
        .build());
    // use case 5: the applicant is told the document is signed
    b.rule(Rule.builder("notify_document_signed")
        .trigger("document_signed")
        .recipients(Recipients.field("record.applicantPhone", "record.applicantName"))
        .context("partner_name", "record.applicantName")
        .context("document_number", "record.number")
        .context("signature_date", "record.signedAt.toLocalDate()")
        .template("document_signed")
        .build());
    // use case 3: every day at 10:00, staff are reminded of documents waiting more than 24 hours
    b.rule(Rule.builder("remind_pending_documents")
        .trigger("cron_document_pending_reminder")
        .condition("record.pendingSince.isBefore(now.toLocalDateTime().minusHours(24))")
        .recipients(Recipients.group("staff"))
        .context("document_number", "record.number")
        .context("pending_since", "record.pendingSince.toLocalDate()")
        .template("reminder")
        .build());
    // use case 6 (seed 003): recaps to the leaders, and the complaint auto-reply
    for (String period : List.of("daily", "weekly", "monthly")) {
      b.rule(Rule.builder("send_" + period + "_recap")
          .trigger(period + "_recap")
          .recipients(Recipients.group("leaders"))
          .context("period", "record.period")
          .context("label", "record.label")
          .context("permits_active", "record.permitsActive")
          .context("permits_expiring", "record.permitsExpiring")
          .context("documents_pending", "record.documentsPending")
          .context("complaints", "record.complaintsOpen")
          .template("recap")
          .build());
    }
    b.rule(Rule.builder("reply_complaint")
        .trigger("complaint_auto_reply")
        .recipients(Recipients.field("record.phone", "record.complainant"))
        .context("complainant", "record.complainant")
        .context("ticket", "record.id")
        .context("topic", "record.topic")
        .dedupe("record.id", Duration.ofDays(30)) // a complaint stays open for several ticks but is answered once
        .template("complaint_reply")
        .build());
    // use case 2: the rule the expiry campaign sends through (each target permit is its record)
    b.rule(Rule.builder("warn_permit_expiring")
        .trigger("permit_expiring")
        .recipients(Recipients.field("record.applicantPhone", "record.applicantName"))
        .contextPreparer("permit_expiry")
        .template("permit_reminder")
        .build());
  }
}
