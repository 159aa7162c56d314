package dev.notify.core;

import java.util.List;
import java.util.Optional;

/**
 * Control of the engine's jobs: the built-in ones ({@code queue-dispatch}, {@code campaign-batches},
 * {@code log-cleanup}) and one per CRON trigger, named after the trigger code.
 *
 * <p>Enabling and disabling is persisted in the store, so with a shared store it applies to every node.
 * A job name no engine knows is rejected with {@link IllegalArgumentException} listing the known names.
 */
public interface Jobs {

  /** Every registered job, ordered by name. */
  List<JobInfo> list();

  /** The job named {@code name}, or empty. */
  Optional<JobInfo> find(String name);

  /** Lets the job run at its ticks again (cluster-wide). */
  void enable(String name);

  /** Stops the job from running at its ticks (cluster-wide) until {@link #enable}; {@link #runNow} still runs it. */
  void disable(String name);

  /**
   * Runs the job now, on the calling thread, and records the run. A job that throws does not make this
   * method throw: the returned run carries the error message.
   *
   * @throws IllegalStateException if the job is already running on this node
   */
  JobRun runNow(String name);

  /** The last {@code limit} runs of the job, most recent first. */
  List<JobRun> history(String name, int limit);
}
