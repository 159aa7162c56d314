package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * When a rule's notifications become due. IMMEDIATE (default), DELAYED by a duration, AT the instant an
 * MVEL expression yields (e.g. {@code record.expiresAt.minusDays(30)}), or BATCH: entries are released
 * in groups of {@code batchSize} every {@code interval}.
 */
public final class Schedule {
  /** The kind of schedule. */
  public enum Type { IMMEDIATE, DELAYED, AT, BATCH }

  private static final Schedule IMMEDIATE = new Schedule(Type.IMMEDIATE, null, null, 0, null);

  private final Type type;
  private final Duration delay;
  private final String atExpression;
  private final int batchSize;
  private final Duration interval;

  private Schedule(Type type, Duration delay, String atExpression, int batchSize, Duration interval) {
    this.type = type;
    this.delay = delay;
    this.atExpression = atExpression;
    this.batchSize = batchSize;
    this.interval = interval;
  }

  public static Schedule immediate() { return IMMEDIATE; }

  public static Schedule delayed(Duration delay) {
    return new Schedule(Type.DELAYED, Check.positive(delay, "schedule delay"), null, 0, null);
  }

  /** Due at the instant the MVEL expression yields (an Instant, ZonedDateTime, OffsetDateTime or LocalDateTime in the engine's zone). */
  public static Schedule at(String mvelExpression) {
    return new Schedule(Type.AT, null, Check.notBlank(mvelExpression, "schedule at expression"), 0, null);
  }

  public static Schedule batch(int batchSize, Duration interval) {
    return new Schedule(Type.BATCH, null, null, Check.positive(batchSize, "schedule batch size"),
        Check.positive(interval, "schedule batch interval"));
  }

  public Type type() { return type; }
  /** For DELAYED, else null. */
  public Duration delay() { return delay; }
  /** For AT, else null. */
  public String atExpression() { return atExpression; }
  /** For BATCH, else 0. */
  public int batchSize() { return batchSize; }
  /** For BATCH, else null. */
  public Duration interval() { return interval; }

  @Override public boolean equals(Object o) {
    if (!(o instanceof Schedule)) return false;
    Schedule s = (Schedule) o;
    return type == s.type && batchSize == s.batchSize && Objects.equals(delay, s.delay)
        && Objects.equals(atExpression, s.atExpression) && Objects.equals(interval, s.interval);
  }

  @Override public int hashCode() { return Objects.hash(type, delay, atExpression, batchSize, interval); }

  @Override public String toString() {
    switch (type) {
      case DELAYED: return "DELAYED(" + delay + ")";
      case AT: return "AT(" + atExpression + ")";
      case BATCH: return "BATCH(" + batchSize + " every " + interval + ")";
      default: return "IMMEDIATE";
    }
  }
}
