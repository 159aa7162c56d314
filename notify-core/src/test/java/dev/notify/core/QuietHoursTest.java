package dev.notify.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

  @ParameterizedTest
  @ValueSource(strings = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"})
  void overnightWindow_inIndonesianZones_endsAtSevenTheNextMorning(String zoneId) {
    ZoneId zone = ZoneId.of(zoneId);
    QuietHours q = QuietHours.of(LocalTime.of(21, 0), LocalTime.of(7, 0), zone);
    Instant at21 = LocalDateTime.parse("2026-03-02T21:00").atZone(zone).toInstant();
    Instant at07 = LocalDateTime.parse("2026-03-03T07:00").atZone(zone).toInstant();

    assertThat(q.nextAllowed(at21)).isEqualTo(at07);
    assertThat(q.nextAllowed(at07.minusMillis(1))).isEqualTo(at07);
    assertThat(q.nextAllowed(at07)).isEqualTo(at07);
    assertThat(q.nextAllowed(at21.minusMillis(1))).isEqualTo(at21.minusMillis(1));
  }

  /**
   * New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT. Quiet 01:00-02:30: 03:00 EDT is already allowed. Before, the
   * end 02:30 was moved on by the gap's length, to 03:30 EDT.
   */
  @Test
  void endInADaylightSavingGap_isTheEndOfTheGap() {
    QuietHours q = QuietHours.of(LocalTime.of(1, 0), LocalTime.of(2, 30), ZoneId.of("America/New_York"));
    Instant at0130 = Instant.parse("2026-03-08T06:30:00Z"); // 01:30 EST
    Instant at0300 = Instant.parse("2026-03-08T07:00:00Z"); // 03:00 EDT

    assertThat(q.contains(at0300)).isFalse();
    assertThat(q.nextAllowed(at0130)).isEqualTo(at0300);
  }

  /**
   * New York, 2026-11-01: 01:00-02:00 happens twice. Quiet 00:30-01:30, at the second 01:15 (EST): the window ends at
   * the second 01:30, not the next night (as it briefly did when the end was always taken at the earlier offset).
   */
  @Test
  void endInTheRepeatedHour_inItsSecondPass_isThatNight() {
    QuietHours q = QuietHours.of(LocalTime.of(0, 30), LocalTime.of(1, 30), ZoneId.of("America/New_York"));
    Instant secondPass0115 = Instant.parse("2026-11-01T06:15:00Z");

    assertThat(q.contains(secondPass0115)).isTrue();
    assertThat(q.nextAllowed(secondPass0115)).isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
  }
}
