package dev.notify.jdbc.internal;

import dev.notify.core.JobRun;
import dev.notify.core.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Cluster coordination: job ticks, job state and history, rate-limit permits. */
public final class JobRepository {
  private final Db db;
  private final Tables t;

  public JobRepository(Db db) {
    this.db = db;
    this.t = db.t;
  }

  public boolean tryAcquire(String key, Instant windowStart, int limit) {
    if (limit <= 0) return false;
    return db.jdbi.withHandle(h -> db.dialect.tryAcquire(h, Keys.stored(key), Times.micros(windowStart), limit));
  }

  public boolean tryClaimTick(String job, Instant tick, String owner, Instant now, Instant leaseUntil) {
    return db.jdbi.withHandle(h -> db.dialect.tryClaimTick(h, job, Times.micros(tick), owner, Times.micros(now),
        Times.micros(leaseUntil)));
  }

  public boolean renewTick(String job, Instant tick, String owner, Instant leaseUntil) {
    return db.jdbi.withHandle(h -> h.createUpdate("UPDATE " + t.ticks + " SET lease_until = ?"
            + " WHERE job = ? AND last_tick = ? AND owner = ? AND finished_at IS NULL")
        .bind(0, Times.micros(leaseUntil)).bind(1, job).bind(2, Times.micros(tick)).bind(3, owner).execute() == 1);
  }

  /** Marking a finished claim again sets its finishing time again, so the row counts as changed on every driver. */
  public boolean finishTick(String job, Instant tick, String owner, Instant now) {
    return db.jdbi.withHandle(h -> h.createUpdate("UPDATE " + t.ticks + " SET finished_at = ?"
            + " WHERE job = ? AND last_tick = ? AND owner = ?")
        .bind(0, Times.micros(now)).bind(1, job).bind(2, Times.micros(tick)).bind(3, owner).execute() == 1);
  }

  public Optional<Instant> unfinishedTickLease(String job, Instant tick) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT lease_until FROM " + t.ticks
            + " WHERE job = ? AND last_tick = ? AND finished_at IS NULL")
        .bind(0, job).bind(1, Times.micros(tick)).mapTo(Long.class).findOne().map(Times::instant));
  }

  /** Writes only the flag (an upsert of {@code job, enabled}), so a run recorded meanwhile keeps its columns. */
  public void setJobEnabled(String job, boolean enabled) {
    db.jdbi.useHandle(h -> h.createUpdate(db.dialect.upsert(t.jobState, "job", "job, enabled"))
        .bind(0, job).bind(1, enabled).execute());
  }

  public Optional<JobState> jobState(String job) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT job, enabled, last_node, last_started_at, last_duration_ms, last_error FROM "
        + t.jobState + " WHERE job = ?").bind(0, job).map((rs, ctx) -> Rows.jobState(rs)).findOne());
  }

  /**
   * Inserts the run into the history, then writes it into the job's last-run columns unless a later run is there
   * (never the enabled flag). If no row was updated, one is inserted, enabled; if a row is there after all (it
   * holds a later run, or another node inserted it meanwhile), the conditional update runs again on it. Each
   * statement commits on its own: the history row stays even if the state update fails.
   */
  public void recordJobRun(JobRun run) {
    long started = Times.micros(run.startedAt());
    db.jdbi.useHandle(h -> {
      h.createUpdate("INSERT INTO " + t.jobRuns + " (job, node, started_at, duration_ms, error) VALUES (?, ?, ?, ?, ?)")
          .bind(0, run.job()).bind(1, run.node()).bind(2, started).bind(3, run.durationMillis())
          .bind(4, run.error()).execute();
      if (updateLastRun(h, run, started) > 0) return;
      try { // no row, or one with a later run
        h.createUpdate("INSERT INTO " + t.jobState
                + " (job, enabled, last_node, last_started_at, last_duration_ms, last_error) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(0, run.job()).bind(1, true).bind(2, run.node()).bind(3, started).bind(4, run.durationMillis())
            .bind(5, run.error()).execute();
      } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
        if (!SqlDialect.isDuplicateKey(e)) throw e;
        updateLastRun(h, run, started); // the row exists: with a later run, or inserted by another node meanwhile
      }
    });
  }

  private int updateLastRun(org.jdbi.v3.core.Handle h, JobRun run, long started) {
    return h.createUpdate("UPDATE " + t.jobState + " SET last_node = ?, last_started_at = ?, last_duration_ms = ?, last_error = ?"
            + " WHERE job = ? AND (last_started_at IS NULL OR last_started_at <= ?)")
        .bind(0, run.node()).bind(1, started).bind(2, run.durationMillis()).bind(3, run.error()).bind(4, run.job())
        .bind(5, started).execute();
  }

  /** One statement: the history holds a few hundred runs a day (campaign-batches: 288), so a day is small. */
  public int deleteJobRunsBefore(Instant cutoff) {
    return db.jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + t.jobRuns + " WHERE started_at < ?")
        .bind(0, Times.micros(cutoff)).execute());
  }

  public List<JobRun> jobRuns(String job, int limit) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT job, node, started_at, duration_ms, error FROM " + t.jobRuns
            + " WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?")
        .bind(0, job).bind(1, limit).map((rs, ctx) -> Rows.jobRun(rs)).list());
  }
}
