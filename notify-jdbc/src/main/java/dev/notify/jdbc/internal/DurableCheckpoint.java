package dev.notify.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit at the file level for an embedded H2 database opened with a write delay: H2 then commits
 * transactions in memory, and a {@code CHECKPOINT} writes everything committed so far to the file in one MVStore
 * chunk. A caller of {@link #await} returns once a checkpoint that started after its call has finished, so what
 * it committed before is in the file (the operating system's cache), which a killed process cannot lose. One
 * caller at a time runs the checkpoint, for everyone who was waiting when it started; the others wait for it.
 * Compared with a chunk per commit ({@code WRITE_DELAY=0}), pages that several transactions changed are
 * written once.
 */
final class DurableCheckpoint {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();
  private long requested;
  private long done;
  private boolean running;
  private int waiting;

  /**
   * Returns once a checkpoint that started after this call has written the file, running it on {@code c} if
   * no other caller is.
   *
   * @throws SQLException if the checkpoint this caller ran failed
   */
  void await(Connection c) throws SQLException {
    lock.lock();
    try {
      long ticket = ++requested;
      while (done < ticket) {
        if (running) {
          waiting++;
          try {
            written.awaitUninterruptibly();
          } finally {
            waiting--;
          }
          continue;
        }
        running = true;
        long covers = requested;
        boolean ok = false;
        lock.unlock();
        try {
          try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
          }
          ok = true;
        } finally {
          lock.lock();
          running = false;
          if (ok) done = Math.max(done, covers);
          written.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Callers waiting for a running checkpoint (for tests). */
  int waitingCallers() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }
}
