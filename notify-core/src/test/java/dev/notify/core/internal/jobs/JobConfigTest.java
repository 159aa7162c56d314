package dev.notify.core.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigTest {
  private static final String DEFAULT = "*/5 * * * *";

  private static JobConfig config(Map<String, String> explicit, Map<String, String> props, Map<String, String> env) {
    return new JobConfig(explicit, props::get, env::get);
  }

  @Test
  void explicitValue_winsOverPropertyAndEnvironment() {
    JobConfig c = config(Map.of("notify.job.campaign-batches.cron", "0 * * * *"),
        Map.of("notify.job.campaign-batches.cron", "1 * * * *"),
        Map.of("NOTIFY_JOB_CAMPAIGN_BATCHES_CRON", "2 * * * *"));

    assertThat(c.cron("campaign-batches", DEFAULT)).isEqualTo("0 * * * *");
  }

  @Test
  void property_winsOverEnvironment() {
    JobConfig c = config(Map.of(), Map.of("notify.job.campaign-batches.cron", "1 * * * *"),
        Map.of("NOTIFY_JOB_CAMPAIGN_BATCHES_CRON", "2 * * * *"));

    assertThat(c.cron("campaign-batches", DEFAULT)).isEqualTo("1 * * * *");
  }

  @Test
  void environment_isUsedWhenNoExplicitValueOrProperty() {
    JobConfig c = config(Map.of(), Map.of(), Map.of("NOTIFY_JOB_CAMPAIGN_BATCHES_CRON", "2 * * * *"));

    assertThat(c.cron("campaign-batches", DEFAULT)).isEqualTo("2 * * * *");
  }

  @Test
  void default_isUsedWhenNothingIsConfigured() {
    assertThat(config(Map.of(), Map.of(), Map.of()).cron("campaign-batches", DEFAULT)).isEqualTo(DEFAULT);
  }

  @Test
  void blankValue_countsAsAbsent() {
    JobConfig c = config(Map.of("notify.job.log-cleanup.cron", " "), Map.of(), Map.of("NOTIFY_JOB_LOG_CLEANUP_CRON", "0 3 * * *"));

    assertThat(c.cron("log-cleanup", "0 2 * * *")).isEqualTo("0 3 * * *");
  }

  @Test
  void environmentName_isUpperCaseWithDashesAndDotsAsUnderscores() {
    assertThat(JobConfig.envName("notify.job.log-cleanup.cron")).isEqualTo("NOTIFY_JOB_LOG_CLEANUP_CRON");
    assertThat(JobConfig.envName(JobConfig.propertyName("permit.expiry-30d", "enabled")))
        .isEqualTo("NOTIFY_JOB_PERMIT_EXPIRY_30D_ENABLED");
  }

  @Test
  void enabledFlag_isReadCaseInsensitively() {
    JobConfig c = config(Map.of(), Map.of(), Map.of("NOTIFY_JOB_LOG_CLEANUP_ENABLED", "FALSE"));

    assertThat(c.enabled("log-cleanup", true)).isFalse();
    assertThat(c.enabled("campaign-batches", true)).isTrue();
  }

  @Test
  void unreadableEnabledFlag_namesTheVariableAndValue() {
    JobConfig c = config(Map.of(), Map.of(), Map.of("NOTIFY_JOB_LOG_CLEANUP_ENABLED", "nope"));

    assertThatThrownBy(() -> c.enabled("log-cleanup", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment variable NOTIFY_JOB_LOG_CLEANUP_ENABLED: invalid value 'nope': expected true or false");
  }

  @Test
  void logRetention_defaultsTo90DaysAndReadsTheEnvironment() {
    assertThat(config(Map.of(), Map.of(), Map.of()).logRetention()).isEqualTo(Duration.ofDays(90));
    assertThat(config(Map.of(), Map.of(), Map.of("NOTIFY_LOG_RETENTION_DAYS", "30")).logRetention())
        .isEqualTo(Duration.ofDays(30));
  }

  @Test
  void zeroRetention_isRejectedNamingTheProperty() {
    JobConfig c = config(Map.of(), Map.of("notify.log.retention-days", "0"), Map.of());

    assertThatThrownBy(c::logRetention)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("property notify.log.retention-days: invalid value '0': expected a number of days from 1 to 36500");
  }

  /** Before, a "keep for ever" 999999999 was read, and every nightly cleanup failed on an overflow. */
  @Test
  void retentionBeyondAHundredYears_isRejectedNamingTheProperty() {
    JobConfig c = config(Map.of(), Map.of(), Map.of("NOTIFY_LOG_RETENTION_DAYS", "999999999"));

    assertThatThrownBy(c::logRetention).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOTIFY_LOG_RETENTION_DAYS").hasMessageContaining("from 1 to 36500");
  }

  @Test
  void dispatchIdlePoll_defaultsToOneSecondAndReadsIsoDurations() {
    assertThat(config(Map.of(), Map.of(), Map.of()).dispatchIdlePoll()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config(Map.of("notify.dispatch.idle-poll", "PT0.25S"), Map.of(), Map.of()).dispatchIdlePoll())
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void unreadableIdlePoll_namesTheSettingAndValue() {
    JobConfig c = config(Map.of("notify.dispatch.idle-poll", "1s"), Map.of(), Map.of());

    assertThatThrownBy(c::dispatchIdlePoll)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("builder setting notify.dispatch.idle-poll: invalid value '1s': expected a positive ISO-8601 duration such as PT1S");
  }

  @Test
  void campaignBatchAlias_isReadAfterEverySourceOfTheCanonicalName() {
    assertThat(config(Map.of(), Map.of(), Map.of("NOTIFY_CAMPAIGN_BATCH_CRON", "2 * * * *")).cron("campaign-batches", DEFAULT))
        .isEqualTo("2 * * * *");
    assertThat(config(Map.of(), Map.of("notify.job.campaign-batches.cron", "1 * * * *"), Map.of("NOTIFY_CAMPAIGN_BATCH_CRON", "2 * * * *"))
        .cron("campaign-batches", DEFAULT)).isEqualTo("1 * * * *");
    assertThat(config(Map.of(), Map.of(), Map.of("NOTIFY_CAMPAIGN_BATCH_CRON", "2 * * * *")).cron("log-cleanup", "0 2 * * *"))
        .isEqualTo("0 2 * * *");
  }

  @Test
  void settingsNamingNoJob_leaveOutKnownNamesBlankValuesAndOtherSettings() {
    Map<String, String> props = Map.of("notify.job.log-cleanup.cron", "0 3 * * *", "notify.job.logcleanup.cron", "0 3 * * *",
        "notify.job.x.enabled", " ", "notify.fonnte.token", "t");
    Map<String, String> env = Map.of("NOTIFY_JOB_PERMIT_EXPIRY_30D_ENABLED", "false", "NOTIFY_JOB_PERMIT_EXPIRY_30D_ENABLE", "false",
        "NOTIFY_LOG_RETENTION_DAYS", "30");
    JobConfig c = config(Map.of(), props, env);

    assertThat(c.settingsNamingNoJob(java.util.List.of("log-cleanup", "permit.expiry-30d"), props.keySet(), env.keySet()))
        .containsExactly("property notify.job.logcleanup.cron", "environment variable NOTIFY_JOB_PERMIT_EXPIRY_30D_ENABLE");
  }
}
