package dev.notify.core.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.InvalidCronException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void unixFiveFieldStepExpression_firesEveryTwoMinutes() {
    CronSchedule s = CronSchedule.parse("report", "*/2 * * * *", UTC);

    assertThat(s.nextAfter(Instant.parse("2025-01-01T10:01:30Z"))).contains(Instant.parse("2025-01-01T10:02:00Z"));
    assertThat(s.nextAfter(Instant.parse("2025-01-01T10:02:00Z"))).contains(Instant.parse("2025-01-01T10:04:00Z"));
  }

  @Test
  void unixDayOfWeekOne_isMonday() {
    CronSchedule s = CronSchedule.parse("weekly", "0 7 * * 1", UTC);

    // 2025-01-01 is a Wednesday; the next Monday is 2025-01-06.
    assertThat(s.nextAfter(Instant.parse("2025-01-01T00:00:00Z"))).contains(Instant.parse("2025-01-06T07:00:00Z"));
  }

  @Test
  void sixFieldExpression_isReadWithSecondsFirst() {
    CronSchedule s = CronSchedule.parse("precise", "30 0 7 * * *", UTC);

    assertThat(s.nextAfter(Instant.parse("2025-01-01T00:00:00Z"))).contains(Instant.parse("2025-01-01T07:00:30Z"));
  }

  @Test
  void dailyNineOClock_isEvaluatedInTheConfiguredZone() {
    CronSchedule s = CronSchedule.parse("permit-expiry", "0 9 * * *", ZoneId.of("Asia/Jakarta"));

    // 10:00 in Jakarta (UTC+7) on 1 January: 09:00 has passed, the next is 09:00 WIB on 2 January = 02:00Z.
    assertThat(s.nextAfter(Instant.parse("2025-01-01T03:00:00Z"))).contains(Instant.parse("2025-01-02T02:00:00Z"));
  }

  @Test
  void latestAtOrBefore_includesATickExactlyAtTheInstant() {
    CronSchedule s = CronSchedule.parse("batches", "*/5 * * * *", UTC);

    assertThat(s.latestAtOrBefore(Instant.parse("2025-01-01T10:05:00Z"))).contains(Instant.parse("2025-01-01T10:05:00Z"));
    assertThat(s.latestAtOrBefore(Instant.parse("2025-01-01T10:04:59Z"))).contains(Instant.parse("2025-01-01T10:00:00Z"));
  }

  @Test
  void outOfRangeValue_isRejectedNamingJobAndExpression() {
    assertThatThrownBy(() -> CronSchedule.parse("report", "61 * * * *", UTC))
        .isInstanceOf(InvalidCronException.class)
        .hasMessage("job 'report': invalid cron expression '61 * * * *': "
            + "Failed to parse cron expression. Value 61 not in range [0, 59]");
  }

  @Test
  void wrongNumberOfFields_isRejectedWithTheExpectedForms() {
    assertThatThrownBy(() -> CronSchedule.parse("report", "*/2 * * *", UTC))
        .isInstanceOf(InvalidCronException.class)
        .hasMessage("job 'report': invalid cron expression '*/2 * * *': expected 5 fields "
            + "(minute hour day-of-month month day-of-week) or 6 with seconds first, got 4");
  }

  @Test
  void blankExpression_isRejected() {
    assertThatThrownBy(() -> CronSchedule.parse("report", " ", UTC))
        .isInstanceOf(InvalidCronException.class)
        .hasMessage("job 'report': invalid cron expression ' ': it is empty");
  }

  /** Before, 31 April was accepted: the job was listed as active and never ran. */
  @Test
  void expressionThatNeverFires_isRefused_butTheTwentyNinthOfFebruaryIsNot() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CronSchedule.parse("reminder", "0 8 31 4 *", java.time.ZoneId.of("Asia/Jakarta")))
        .isInstanceOf(dev.notify.core.InvalidCronException.class)
        .hasMessage("job 'reminder': invalid cron expression '0 8 31 4 *': it never fires (no such date)");
    assertThat(CronSchedule.parse("leap", "0 8 29 2 *", java.time.ZoneId.of("Asia/Jakarta")).expression()).isEqualTo("0 8 29 2 *");
  }
}
