package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Duration;

/**
 * At most {@code count} sends per {@code period} (fixed windows). Over the limit, entries are postponed
 * to the next window, never failed. Windows are counted from the Unix epoch (UTC): a day-long window runs from
 * midnight UTC, 07:00 in Jakarta. The period is a whole number of seconds, at least one.
 */
public record RateLimit(int count, Duration period) {
  public RateLimit {
    Check.positive(count, "rate limit count");
    Check.positive(period, "rate limit period");
    if (period.getNano() != 0) {
      // windows start at multiples of the period: a period under a millisecond divided by zero at every send
      throw new IllegalArgumentException("rate limit period must be a whole number of seconds, got " + period);
    }
  }

  public static RateLimit of(int count, Duration period) { return new RateLimit(count, period); }

  public static RateLimit perMinute(int count) { return new RateLimit(count, Duration.ofMinutes(1)); }

  public static RateLimit perHour(int count) { return new RateLimit(count, Duration.ofHours(1)); }
}
