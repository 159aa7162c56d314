package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Instant;

/**
 * What {@link Jobs#list()} reports about one job.
 *
 * @param name job name (a built-in name such as {@code log-cleanup}, or a CRON trigger code)
 * @param schedule the cron expression, or {@code continuous} for a job that runs all the time
 * @param active whether the job runs at its ticks: enabled in the store and not disabled by configuration
 * @param lastRun start of the last run on any node; null if it never ran
 * @param nextRun the next tick; null for a continuous or inactive job
 * @param lastDurationMillis duration of the last run; null if it never ran
 * @param lastError error message of the last run; null if it never ran or the last run succeeded
 */
public record JobInfo(String name, String schedule, boolean active, Instant lastRun, Instant nextRun,
                      Long lastDurationMillis, String lastError) {
  public JobInfo {
    Check.notBlank(name, "job name");
    Check.notBlank(schedule, "job schedule");
  }
}
