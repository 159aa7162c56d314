package dev.notify.core;

import java.time.Instant;

/** Delivery figures computed from the delivery logs and the queue. */
public interface Analytics {

  /**
   * Figures for the logs created in [{@code from}, {@code to}), plus the queue as it is now.
   *
   * @throws IllegalArgumentException if {@code from} is not before {@code to}
   */
  AnalyticsSummary summary(Instant from, Instant to);
}
