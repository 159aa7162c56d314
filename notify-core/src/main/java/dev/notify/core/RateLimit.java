package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Duration;

/**
 * At most {@code count} sends per {@code period} (fixed windows). Over the limit, entries are postponed
 * to the next window, never failed.
 */
public record RateLimit(int count, Duration period) {
  public RateLimit {
    Check.positive(count, "rate limit count");
    Check.positive(period, "rate limit period");
  }

  public static RateLimit of(int count, Duration period) { return new RateLimit(count, period); }

  public static RateLimit perMinute(int count) { return new RateLimit(count, Duration.ofMinutes(1)); }

  public static RateLimit perHour(int count) { return new RateLimit(count, Duration.ofHours(1)); }
}
