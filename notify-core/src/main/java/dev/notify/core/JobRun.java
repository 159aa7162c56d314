package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Instant;

/**
 * One run of a scheduled job.
 *
 * @param job job name
 * @param node the node that ran it
 * @param startedAt start
 * @param durationMillis how long it took
 * @param error null on success, else the error message
 */
public record JobRun(String job, String node, Instant startedAt, long durationMillis, String error) {
  public JobRun {
    Check.notBlank(job, "job name");
    Check.notNull(startedAt, "job run startedAt");
  }

  public boolean succeeded() { return error == null; }
}
