package dev.notify.core.internal.expr;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Host-side types and variable maps shared by the expression tests. */
final class Fixtures {
  private Fixtures() { }

  static final Instant NOW = Instant.parse("2024-05-01T08:00:00Z");

  enum PermitStatus { DRAFT, ACTIVE, EXPIRED }

  record Address(String city, String street) { }

  record Applicant(String name, String phone, Address address) { }

  /** A JavaBean, as a host's entity might be. */
  public static final class Permit {
    private final String state;
    private final int count;
    private final Applicant applicant;
    private final boolean urgent;

    public Permit(String state, int count, Applicant applicant, boolean urgent) {
      this.state = state;
      this.count = count;
      this.applicant = applicant;
      this.urgent = urgent;
    }

    public String getState() { return state; }
    public int getCount() { return count; }
    public Applicant getApplicant() { return applicant; }
    public boolean isUrgent() { return urgent; }
    public String describe() { return "not a getter"; }
    public static String getVersion() { return "static, not a property"; }
  }

  /** The variables of a typical ON_STATE_CHANGE evaluation, converted as the engine would. */
  static Map<String, Object> permitVariables() {
    Map<String, Object> record = new HashMap<>();
    record.put("state", "approved");
    record.put("name", "budi");
    record.put("count", 5);
    record.put("tags", List.of("urgent", "new"));
    record.put("items", List.of(10, 20, 30));
    record.put("expiresAt", Instant.parse("2024-01-01T00:00:00Z"));
    record.put("dueDate", LocalDate.of(2024, 5, 1));
    record.put("status", PermitStatus.ACTIVE);
    record.put("applicant", new Applicant("Sari", "+6281234567890", new Address("Bandung", "Jl. Merdeka 1")));
    Map<String, Object> variables = new HashMap<>();
    variables.put("record", RecordViews.toValue(record));
    variables.put("old", RecordViews.toValue(Map.of("state", "draft", "count", 4)));
    variables.put("params", RecordViews.toValue(Map.of("days", 5, "key", "class", "greeting", "Halo")));
    variables.put("now", NOW);
    return variables;
  }
}
