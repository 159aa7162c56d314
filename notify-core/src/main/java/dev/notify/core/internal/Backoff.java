package dev.notify.core.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: {@code base * 2^(attempt-1)}, capped, then multiplied by a random factor
 * in [1 - jitter, 1 + jitter]. A provider's Retry-After wins when given (capped too).
 */
public final class Backoff {
  private final Duration base;
  private final Duration max;
  private final double jitter;
  private final DoubleSupplier random;

  public Backoff(Duration base, Duration max, double jitter, DoubleSupplier random) {
    this.base = Check.positive(base, "retry backoff base");
    this.max = Check.positive(max, "retry backoff max");
    if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("retry jitter must be in [0, 1), got " + jitter);
    this.jitter = jitter;
    this.random = random;
  }

  /** Delay before the next attempt after {@code attempt} failed attempts (1-based). */
  public Duration delay(int attempt, Duration retryAfter) {
    if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()) {
      return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
    int exp = Math.min(Math.max(attempt - 1, 0), 30);
    double millis = Math.min((double) base.toMillis() * (1L << exp), (double) max.toMillis());
    double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
    return Duration.ofMillis(Math.max(1, Math.round(millis * factor)));
  }
}
