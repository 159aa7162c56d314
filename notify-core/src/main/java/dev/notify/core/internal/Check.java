package dev.notify.core.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks with messages that name the setting and the bad value. */
public final class Check {
  private Check() {}

  public static String notBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank, got " + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  public static <T> T notNull(T value, String what) {
    return Objects.requireNonNull(value, () -> what + " must not be null");
  }

  public static int positive(int value, String what) {
    if (value <= 0) throw new IllegalArgumentException(what + " must be > 0, got " + value);
    return value;
  }

  public static int notNegative(int value, String what) {
    if (value < 0) throw new IllegalArgumentException(what + " must be >= 0, got " + value);
    return value;
  }

  public static Duration positive(Duration value, String what) {
    notNull(value, what);
    if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(what + " must be positive, got " + value);
    return value;
  }

  public static Duration notNegative(Duration value, String what) {
    notNull(value, what);
    if (value.isNegative()) throw new IllegalArgumentException(what + " must not be negative, got " + value);
    return value;
  }
}
