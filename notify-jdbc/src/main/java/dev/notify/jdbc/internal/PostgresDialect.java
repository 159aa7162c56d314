package dev.notify.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** PostgreSQL 12+: one-statement claim (locked CTEs with SKIP LOCKED, UPDATE ... RETURNING), ON CONFLICT upserts. */
final class PostgresDialect extends SqlDialect {
  private final String claimSql;

  PostgresDialect(Tables tables) {
    super(tables);
    // Two locked selections so each reads an index in claim order and stops at the limit (one query with
    // OR would sort every due row on each claim); the best {limit} of both are updated.
    String order = " ORDER BY priority DESC, scheduled_at, id";
    claimSql = "WITH pending AS (SELECT id, priority, scheduled_at FROM " + t.queue
        + " WHERE state = 'PENDING' AND scheduled_at <= ? AND " + notPaused() + order + " LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " expired AS (SELECT id, priority, scheduled_at FROM " + t.queue
        + " WHERE state = 'PROCESSING' AND lease_expiry < ? AND " + notPaused() + order + " LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " chosen AS (SELECT id FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) c" + order + " LIMIT ?)"
        + " UPDATE " + t.queue + " SET state = 'PROCESSING', lease_owner = ?, lease_expiry = ?"
        + " WHERE id IN (SELECT id FROM chosen) RETURNING *";
  }

  @Override public String scriptFolder() { return "postgres"; }

  @Override public boolean transactionalDdl() { return true; }

  @Override public void lockMigration(Handle h) {
    h.createQuery("SELECT pg_advisory_lock(?)").bind(0, lockKey()).mapTo(String.class).one();
  }

  @Override public void unlockMigration(Handle h) {
    h.createQuery("SELECT pg_advisory_unlock(?)").bind(0, lockKey()).mapTo(Boolean.class).one();
  }

  private long lockKey() { return 0x6e6f7469L << 32 | (t.prefix.hashCode() & 0xffffffffL); }

  @Override public String upsert(String table, String key, String columns) {
    String[] cols = columns.split(",\\s*");
    StringBuilder set = new StringBuilder();
    for (String c : cols) {
      if (c.equals(key)) continue;
      if (set.length() > 0) set.append(", ");
      set.append(c).append(" = EXCLUDED.").append(c);
    }
    return "INSERT INTO " + table + " (" + columns + ") VALUES " + in(cols.length)
        + " ON CONFLICT (" + key + ") DO UPDATE SET " + set;
  }

  @Override public List<Rows.EntryRow> claim(Handle h, long now, int limit, String owner, long leaseUntil) {
    return mapRows(h.createQuery(claimSql).bind(0, now).bind(1, limit).bind(2, now).bind(3, limit).bind(4, limit)
        .bind(5, owner).bind(6, leaseUntil));
  }

  @Override public List<String> claimSql() { return List.of(claimSql); }

  @Override public Set<String> takeDedupeKeys(Handle h, Map<String, Long> keys, long now) {
    PreparedBatch b = h.prepareBatch("INSERT INTO " + t.dedupe + " AS d (dedupe_key, expires_at) VALUES (?, ?)"
        + " ON CONFLICT (dedupe_key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE d.expires_at <= ?");
    List<String> order = new ArrayList<>(keys.keySet());
    for (String k : order) b.bind(0, k).bind(1, keys.get(k)).bind(2, now).add();
    return appliedKeys(b, order);
  }

  @Override public boolean tryAcquire(Handle h, String key, long window, int limit) {
    return h.createQuery("INSERT INTO " + t.rates + " AS r (rate_key, window_start, permits) VALUES (?, ?, 1)"
            + " ON CONFLICT (rate_key, window_start) DO UPDATE SET permits = r.permits + 1 WHERE r.permits < ?"
            + " RETURNING permits")
        .bind(0, key).bind(1, window).bind(2, limit).mapTo(Integer.class).findOne().isPresent();
  }

  @Override public boolean tryClaimTick(Handle h, String job, long tick, String owner) {
    return h.createUpdate("INSERT INTO " + t.ticks + " AS j (job, last_tick, owner) VALUES (?, ?, ?)"
            + " ON CONFLICT (job) DO UPDATE SET last_tick = EXCLUDED.last_tick, owner = EXCLUDED.owner"
            + " WHERE j.last_tick < EXCLUDED.last_tick")
        .bind(0, job).bind(1, tick).bind(2, owner).execute() == 1;
  }
}
