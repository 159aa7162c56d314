package dev.notify.core;

import dev.notify.core.internal.Check;
import java.util.Map;
import java.util.Optional;

/**
 * Something that happened in the host: a trigger code, the record (a POJO, a Java record or a Map), the
 * record before the change (optional), parameters, and optionally the host's transaction (a JDBC
 * {@code Connection} or a Jdbi {@code Handle}) that the queue rows and skip logs of the fire must join.
 */
public final class TriggerEvent {
  private final String triggerCode;
  private final Object record;
  private final Object old;
  private final Map<String, Object> params;
  private final Object transaction;

  private TriggerEvent(Builder b) {
    this.triggerCode = b.triggerCode;
    this.record = b.record;
    this.old = b.old;
    this.params = b.params;
    this.transaction = b.transaction;
  }

  public static Builder builder(String triggerCode) { return new Builder(triggerCode); }

  public static TriggerEvent of(String triggerCode, Object record) { return builder(triggerCode).record(record).build(); }

  public String triggerCode() { return triggerCode; }
  public Object record() { return record; }
  public Optional<Object> old() { return Optional.ofNullable(old); }
  public Map<String, Object> params() { return params; }
  public Optional<Object> transaction() { return Optional.ofNullable(transaction); }

  @Override public String toString() { return "TriggerEvent{" + triggerCode + "}"; }

  /** Mutable builder. */
  public static final class Builder {
    private final String triggerCode;
    private Object record;
    private Object old;
    private Map<String, Object> params = Map.of();
    private Object transaction;

    private Builder(String triggerCode) { this.triggerCode = Check.notBlank(triggerCode, "trigger code"); }

    public Builder record(Object record) { this.record = Check.notNull(record, "event record"); return this; }
    public Builder old(Object old) { this.old = old; return this; }

    public Builder params(Map<String, ?> params) {
      Check.notNull(params, "event params");
      params.keySet().forEach(k -> Check.notBlank(k, "event param name"));
      // a null value is kept (host maps often hold them; before, Map.copyOf threw a bare NullPointerException)
      this.params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
      return this;
    }

    /** The host's transaction (JDBC {@code Connection} or Jdbi {@code Handle}); the store must support it. */
    public Builder transaction(Object transaction) { this.transaction = Check.notNull(transaction, "event transaction"); return this; }

    public TriggerEvent build() {
      if (record == null) record = Map.of();
      return new TriggerEvent(this);
    }
  }
}
