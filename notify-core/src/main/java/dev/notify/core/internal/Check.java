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

  /** The longest code, name or key of a definition: what every store keeps (MariaDB's VARCHAR(255)). */
  public static final int MAX_NAME_LENGTH = 255;

  /** Not blank and at most {@value #MAX_NAME_LENGTH} characters (a code, name or key every store can keep). */
  public static String name(String value, String what) {
    notBlank(value, what);
    if (value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(what + " must be at most " + MAX_NAME_LENGTH + " characters, got " + value.length());
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
