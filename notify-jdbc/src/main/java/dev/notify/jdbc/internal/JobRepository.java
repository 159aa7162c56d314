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

  public boolean tryClaimTick(String job, Instant tick, String owner) {
    return db.jdbi.withHandle(h -> db.dialect.tryClaimTick(h, job, Times.micros(tick), owner));
  }

  public void saveJobState(JobState state) {
    JobRun last = state.lastRun();
    db.jdbi.useHandle(h -> h.createUpdate(db.dialect.upsert(t.jobState, "job",
            "job, enabled, last_node, last_started_at, last_duration_ms, last_error"))
        .bind(0, state.job()).bind(1, state.enabled())
        .bind(2, last == null ? null : last.node())
        .bind(3, last == null ? null : Times.micros(last.startedAt()))
        .bind(4, last == null ? null : last.durationMillis())
        .bind(5, last == null ? null : last.error())
        .execute());
  }

  public Optional<JobState> jobState(String job) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT job, enabled, last_node, last_started_at, last_duration_ms, last_error FROM "
        + t.jobState + " WHERE job = ?").bind(0, job).map((rs, ctx) -> Rows.jobState(rs)).findOne());
  }

  public void recordJobRun(JobRun run) {
    db.jdbi.useHandle(h -> h.createUpdate("INSERT INTO " + t.jobRuns + " (job, node, started_at, duration_ms, error) VALUES (?, ?, ?, ?, ?)")
        .bind(0, run.job()).bind(1, run.node()).bind(2, Times.micros(run.startedAt())).bind(3, run.durationMillis())
        .bind(4, run.error()).execute());
  }

  public List<JobRun> jobRuns(String job, int limit) {
    return db.jdbi.withHandle(h -> h.createQuery("SELECT job, node, started_at, duration_ms, error FROM " + t.jobRuns
            + " WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?")
        .bind(0, job).bind(1, limit).map((rs, ctx) -> Rows.jobRun(rs)).list());
  }
}
