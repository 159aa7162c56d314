package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
  @Test
  void micros_roundTripMicrosecondInstantsIncludingBeforeTheEpoch() {
    for (String s : new String[] {"2026-01-05T08:00:00.123456Z", "1969-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z"}) {
      Instant i = Instant.parse(s);
      assertThat(Times.instant(Times.micros(i))).isEqualTo(i);
    }
  }

  @Test
  void micros_dropNanosecondsBelowAMicrosecond() {
    assertThat(Times.instant(Times.micros(Instant.parse("2026-01-05T08:00:00.123456789Z"))))
        .isEqualTo(Instant.parse("2026-01-05T08:00:00.123456Z"));
  }
}
