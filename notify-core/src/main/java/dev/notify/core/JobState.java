package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Instant;

/**
 * The persisted state of a job, shared by all nodes.
 *
 * @param job job name
 * @param enabled disabled jobs do not run at their ticks
 * @param lastRun last run, may be null
 */
public record JobState(String job, boolean enabled, JobRun lastRun) {
  public JobState {
    Check.notBlank(job, "job name");
  }

  public static JobState initial(String job) { return new JobState(job, true, null); }

  public JobState withEnabled(boolean e) { return new JobState(job, e, lastRun); }

  public JobState withLastRun(JobRun run) { return new JobState(job, enabled, run); }

  /** When the last run started, or null. */
  public Instant lastRunAt() { return lastRun == null ? null : lastRun.startedAt(); }
}
