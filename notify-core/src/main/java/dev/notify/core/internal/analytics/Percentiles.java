package dev.notify.core.internal.analytics;

/** Percentiles by the nearest-rank method. */
final class Percentiles {
  private Percentiles() {}

  /**
   * The smallest value such that at least {@code percent}% of the values are at or below it: the value at
   * rank ceil(percent/100 × n). 0 when there are no values.
   *
   * @param sorted ascending values
   * @param percent in (0, 100]
   */
  static long nearestRank(long[] sorted, int percent) {
    if (percent <= 0 || percent > 100) throw new IllegalArgumentException("percentile must be in (0, 100], got " + percent);
    if (sorted.length == 0) return 0;
    long rank = ((long) percent * sorted.length + 99) / 100; // ceil without floating point
    return sorted[(int) Math.max(1, rank) - 1];
  }
}
