package dev.notify.core.internal.jobs;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** Holds tasks until the test runs them. */
final class ManualExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  synchronized int pending() {
    return tasks.size();
  }

  void runAll() {
    Runnable next;
    while ((next = poll()) != null) next.run();
  }

  private synchronized Runnable poll() {
    return tasks.poll();
  }
}
