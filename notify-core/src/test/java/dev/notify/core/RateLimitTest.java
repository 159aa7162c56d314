package dev.notify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  /** Before, such a period was accepted and every send of the rule then failed dividing by a zero-length window. */
  @Test
  void aPeriodThatIsNotAWholeNumberOfSeconds_isRefusedNamingIt() {
    assertThatThrownBy(() -> RateLimit.of(5, Duration.ofNanos(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate limit period must be a whole number of seconds, got PT0.000000001S");
    assertThatThrownBy(() -> RateLimit.of(5, Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wholeSecondPeriods_areAccepted() {
    assertThat(RateLimit.of(5, Duration.ofSeconds(1)).period()).isEqualTo(Duration.ofSeconds(1));
    assertThat(RateLimit.perHour(10).period()).isEqualTo(Duration.ofHours(1));
  }
}
