package dev.notify.core.internal.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A timer that never fires on its own: it records each scheduled command and its delay, and the test fires
 * the command. The futures it returns are real (cancellable) futures of a far-off no-op.
 */
final class RecordingTimer extends ScheduledThreadPoolExecutor {
  record Scheduled(Runnable command, long delayMillis, ScheduledFuture<?> future) {}

  private final List<Scheduled> scheduled = new ArrayList<>();

  RecordingTimer() {
    super(1);
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    ScheduledFuture<?> future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
    scheduled.add(new Scheduled(command, unit.toMillis(delay), future));
    return future;
  }

  synchronized Scheduled last() {
    return scheduled.get(scheduled.size() - 1);
  }

  synchronized int count() {
    return scheduled.size();
  }
}
