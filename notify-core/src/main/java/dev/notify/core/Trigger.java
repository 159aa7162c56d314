package dev.notify.core;

import dev.notify.core.internal.Check;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host reports: a named event on an entity. Immutable; build with one of the static factories,
 * e.g. {@code Trigger.onStateChange("permit_state_change", "permit").stateTo("approved").build()}.
 */
public final class Trigger {
  private final String code;
  private final String name;
  private final boolean active;
  private final TriggerType type;
  private final String entity;
  private final String watchedField;
  private final String stateField;
  private final String stateFrom;
  private final String stateTo;
  private final String condition;
  private final String cron;
  private final String source;

  private Trigger(Builder b) {
    this.code = b.code;
    this.name = b.name == null ? b.code : b.name;
    this.active = b.active;
    this.type = b.type;
    this.entity = b.entity;
    this.watchedField = b.watchedField;
    this.stateField = b.stateField;
    this.stateFrom = b.stateFrom;
    this.stateTo = b.stateTo;
    this.condition = b.condition;
    this.cron = b.cron;
    this.source = b.source;
  }

  public static Builder builder(String code, TriggerType type) { return new Builder(code, type); }
  public static Builder onCreate(String code, String entity) { return builder(code, TriggerType.ON_CREATE).entity(entity); }
  public static Builder onUpdate(String code, String entity) { return builder(code, TriggerType.ON_UPDATE).entity(entity); }
  public static Builder onStateChange(String code, String entity) { return builder(code, TriggerType.ON_STATE_CHANGE).entity(entity); }
  public static Builder onFieldChange(String code, String entity, String field) {
    return builder(code, TriggerType.ON_FIELD_CHANGE).entity(entity).watchedField(field);
  }
  /** A CRON trigger: at each tick of {@code cron} the named {@code RecordSource} yields the records to evaluate. */
  public static Builder cron(String code, String cron, String source) {
    return builder(code, TriggerType.CRON).cron(cron).source(source);
  }
  public static Builder manual(String code) { return builder(code, TriggerType.MANUAL); }

  public String code() { return code; }
  public String name() { return name; }
  public boolean active() { return active; }
  public TriggerType type() { return type; }
  public Optional<String> entity() { return Optional.ofNullable(entity); }
  public Optional<String> watchedField() { return Optional.ofNullable(watchedField); }
  /** The field holding the record's state; {@code state} by default. */
  public String stateField() { return stateField; }
  public Optional<String> stateFrom() { return Optional.ofNullable(stateFrom); }
  public Optional<String> stateTo() { return Optional.ofNullable(stateTo); }
  /** MVEL condition over record, old, event, params, now; empty means always. */
  public Optional<String> condition() { return Optional.ofNullable(condition); }
  public Optional<String> cron() { return Optional.ofNullable(cron); }
  public Optional<String> source() { return Optional.ofNullable(source); }

  public Builder toBuilder() {
    Builder b = new Builder(code, type);
    b.name = name; b.active = active; b.entity = entity; b.watchedField = watchedField; b.stateField = stateField;
    b.stateFrom = stateFrom; b.stateTo = stateTo; b.condition = condition; b.cron = cron; b.source = source;
    return b;
  }

  @Override public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Trigger)) return false;
    Trigger t = (Trigger) o;
    return active == t.active && code.equals(t.code) && name.equals(t.name) && type == t.type
        && Objects.equals(entity, t.entity) && Objects.equals(watchedField, t.watchedField)
        && stateField.equals(t.stateField) && Objects.equals(stateFrom, t.stateFrom)
        && Objects.equals(stateTo, t.stateTo) && Objects.equals(condition, t.condition)
        && Objects.equals(cron, t.cron) && Objects.equals(source, t.source);
  }

  @Override public int hashCode() { return Objects.hash(code, type, entity, stateTo, condition); }

  @Override public String toString() { return "Trigger{" + code + ", " + type + (entity == null ? "" : ", " + entity) + "}"; }

  /** Mutable builder; each setter validates its value. */
  /** Codes a trigger may not have: the engine's own jobs (a CRON trigger's job is named by its code). */
  public static final java.util.List<String> RESERVED_CODES = java.util.List.of(
      dev.notify.core.internal.jobs.JobConfig.QUEUE_DISPATCH, dev.notify.core.internal.jobs.JobConfig.CAMPAIGN_BATCHES,
      dev.notify.core.internal.jobs.JobConfig.LOG_CLEANUP);

  public static final class Builder {
    private final String code;
    private final TriggerType type;
    private String name;
    private boolean active = true;
    private String entity;
    private String watchedField;
    private String stateField = "state";
    private String stateFrom;
    private String stateTo;
    private String condition;
    private String cron;
    private String source;

    private Builder(String code, TriggerType type) {
      this.code = Check.name(code, "trigger code");
      // a CRON trigger's job is named by its code: one named like an engine job would replace or remove that job
      if (RESERVED_CODES.contains(code.strip())) {
        throw new InvalidDefinitionException("trigger code '" + code + "' is the name of an engine job; reserved: "
            + String.join(", ", RESERVED_CODES));
      }
      this.type = Check.notNull(type, "trigger type");
    }

    public Builder name(String name) { this.name = Check.notBlank(name, "trigger '" + code + "' name"); return this; }
    public Builder active(boolean active) { this.active = active; return this; }
    public Builder entity(String entity) { this.entity = Check.notBlank(entity, "trigger '" + code + "' entity"); return this; }
    public Builder watchedField(String f) { this.watchedField = Check.notBlank(f, "trigger '" + code + "' watchedField"); return this; }
    public Builder stateField(String f) { this.stateField = Check.notBlank(f, "trigger '" + code + "' stateField"); return this; }
    public Builder stateFrom(String s) { this.stateFrom = Check.notBlank(s, "trigger '" + code + "' stateFrom"); return this; }
    public Builder stateTo(String s) { this.stateTo = Check.notBlank(s, "trigger '" + code + "' stateTo"); return this; }
    public Builder condition(String mvel) { this.condition = Check.notBlank(mvel, "trigger '" + code + "' condition"); return this; }
    public Builder cron(String cron) { this.cron = Check.notBlank(cron, "trigger '" + code + "' cron"); return this; }
    public Builder source(String source) { this.source = Check.notBlank(source, "trigger '" + code + "' source"); return this; }

    /** @throws InvalidDefinitionException if the settings do not fit the type (e.g. CRON without cron). */
    public Trigger build() {
      switch (type) {
        case ON_CREATE: case ON_UPDATE: case ON_STATE_CHANGE:
          if (entity == null) throw new InvalidDefinitionException("trigger '" + code + "' of type " + type + " needs an entity");
          break;
        case ON_FIELD_CHANGE:
          if (entity == null || watchedField == null) {
            throw new InvalidDefinitionException("trigger '" + code + "' of type ON_FIELD_CHANGE needs an entity and a watchedField");
          }
          break;
        case CRON:
          if (cron == null || source == null) {
            throw new InvalidDefinitionException("trigger '" + code + "' of type CRON needs a cron expression and a record source");
          }
          break;
        default:
          break;
      }
      // a setting the type never reads would be silently ignored (onUpdate(...).stateTo("x") fired on any update)
      refuseUnless(type == TriggerType.ON_STATE_CHANGE, stateFrom, "stateFrom");
      refuseUnless(type == TriggerType.ON_STATE_CHANGE, stateTo, "stateTo");
      refuseUnless(type == TriggerType.ON_FIELD_CHANGE, watchedField, "watchedField");
      refuseUnless(type == TriggerType.CRON, cron, "cron");
      refuseUnless(type == TriggerType.CRON, source, "source");
      return new Trigger(this);
    }

    private void refuseUnless(boolean applies, String value, String setting) {
      if (!applies && value != null) {
        throw new InvalidDefinitionException("trigger '" + code + "' of type " + type + " does not use " + setting
            + " (set to '" + value + "')");
      }
    }
  }
}
