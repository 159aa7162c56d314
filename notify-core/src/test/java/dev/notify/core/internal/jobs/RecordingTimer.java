package dev.notify.core.internal.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A timer that never fires on its own: it records each scheduled command and its delay (repeating ones apart),
 * and the test fires the command. The futures it returns are real (cancellable) futures of a far-off no-op.
 */
final class RecordingTimer extends ScheduledThreadPoolExecutor {
  record Scheduled(Runnable command, long delayMillis, ScheduledFuture<?> future) {}

  private final List<Scheduled> scheduled = new ArrayList<>();
  private final List<Scheduled> repeating = new ArrayList<>();

  RecordingTimer() {
    super(1);
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    ScheduledFuture<?> future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
    scheduled.add(new Scheduled(command, unit.toMillis(delay), future));
    return future;
  }

  /** Records a repeating command (a lease renewal) apart from the one-shot ones; the test fires it. */
  @Override
  public synchronized ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    ScheduledFuture<?> future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
    repeating.add(new Scheduled(command, unit.toMillis(delay), future));
    return future;
  }

  /** The repeating commands not cancelled. */
  synchronized List<Scheduled> repeating() {
    return repeating.stream().filter(s -> !s.future().isCancelled()).toList();
  }

  synchronized Scheduled last() {
    return scheduled.get(scheduled.size() - 1);
  }

  synchronized int count() {
    return scheduled.size();
  }
}
