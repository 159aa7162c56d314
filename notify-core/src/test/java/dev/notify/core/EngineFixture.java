package dev.notify.core;

import dev.notify.core.testing.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** Shared test fixtures: a permit record, a deterministic engine builder. */
final class EngineFixture {
  static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z"); // 09:00 in Jakarta
  static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");

  /** A host record as a Java record. */
  record Permit(String id, String number, String state, String applicantName, String applicantPhone) {
    Permit withState(String s) { return new Permit(id, number, s, applicantName, applicantPhone); }
  }

  /** A host record as a JavaBean. */
  public static final class PermitBean {
    private final String id;
    private final String state;
    private final String phone;

    PermitBean(String id, String state, String phone) {
      this.id = id;
      this.state = state;
      this.phone = phone;
    }

    public String getId() { return id; }
    public String getState() { return state; }
    public String getPhone() { return phone; }
  }

  static Permit permit(String state) {
    return new Permit("P-1", "503/IMB/2026", state, "Budi Santoso", "0812-3456-7890");
  }

  static Map<String, Object> permitMap(String state, String phone) {
    return Map.of("id", "P-2", "number", "503/IMB/2027", "state", state, "applicantName", "Siti", "applicantPhone", phone);
  }

  static Trigger approvedTrigger() {
    return Trigger.onStateChange("permit_state_change", "permit").stateTo("approved").build();
  }

  static Rule.Builder approvedRule() {
    return Rule.builder("notify_permit_approved")
        .trigger("permit_state_change")
        .condition("old == null || old.state == 'draft'")
        .recipients(Recipients.field("record.applicantPhone", "record.applicantName"))
        .context("partner_name", "record.applicantName")
        .context("permit_number", "record.number")
        .template("permit_ready");
  }

  static MessageTemplate permitReady() {
    return MessageTemplate.of("permit_ready", "Yth. {{partner_name}}, izin {{permit_number}} telah terbit.");
  }

  static MutableClock clock() { return new MutableClock(T0, JAKARTA); }

  /** Builder with the recording provider, no background threads, the given clock. */
  static NotificationEngine.Builder builder(MutableClock clock, RecordingProvider provider) {
    return NotificationEngine.builder()
        .clock(clock)
        .zone(JAKARTA)
        .provider(provider)
        .backgroundDispatch(false)
        .environment(k -> null)
        .template(permitReady());
  }

  private EngineFixture() {}
}
