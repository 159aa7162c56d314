package dev.notify.core.internal.jobs;

import dev.notify.core.internal.Check;
import dev.notify.core.spi.NotificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code log-cleanup} job: deletes delivery logs created more than the retention ago, the finished queue
 * entries of no campaign that were created and last updated before then, and the job runs started before then.
 */
public final class LogCleanupJob implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LogCleanupJob.class);

  private final NotificationStore store;
  private final Clock clock;
  private final Duration retention;

  public LogCleanupJob(NotificationStore store, Clock clock, Duration retention) {
    this.store = Check.notNull(store, "store");
    this.clock = Check.notNull(clock, "clock");
    this.retention = Check.positive(retention, "log retention");
  }

  @Override
  public void run() {
    deleteExpired();
  }

  /** Deletes logs and finished entries older than now minus the retention. @return how many logs */
  public int deleteExpired() {
    Instant cutoff = clock.instant().minus(retention);
    int deleted = store.deleteLogsBefore(cutoff);
    int entries = store.deleteFinishedEntriesBefore(cutoff);
    // before, the job history only grew (288 rows a day for campaign-batches alone)
    int runs = store.deleteJobRunsBefore(cutoff);
    log.info("log-cleanup: deleted {} delivery logs, {} finished queue entries and {} job runs from before {} (retention {})",
        deleted, entries, runs, cutoff, retention);
    return deleted;
  }

  public Duration retention() {
    return retention;
  }
}
