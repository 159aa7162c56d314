package dev.notify.core.internal.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRank_ofOneToHundred_isThePercentItself() {
    long[] values = LongStream.rangeClosed(1, 100).toArray();

    assertThat(Percentiles.nearestRank(values, 50)).isEqualTo(50);
    assertThat(Percentiles.nearestRank(values, 95)).isEqualTo(95);
  }

  @Test
  void nearestRank_roundsTheRankUp() {
    long[] values = LongStream.rangeClosed(1, 20).map(v -> v * 10).toArray(); // 10..200

    assertThat(Percentiles.nearestRank(values, 95)).isEqualTo(190); // rank 19 exactly
    assertThat(Percentiles.nearestRank(new long[] {5, 7, 9}, 50)).isEqualTo(7); // rank ceil(1.5) = 2
  }

  @Test
  void nearestRank_ofNoValues_isZero() {
    assertThat(Percentiles.nearestRank(new long[0], 95)).isZero();
  }
}
