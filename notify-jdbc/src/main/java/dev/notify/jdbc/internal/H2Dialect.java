package dev.notify.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * H2 2.x: SELECT ... FOR UPDATE SKIP LOCKED then UPDATE in one transaction; conditional MERGE for dedupe
 * keys, permits and ticks (a lost insert race is retried once, then it is a plain update).
 */
final class H2Dialect extends SqlDialect {
  private final String selectSql;
  private final String updateSql;

  H2Dialect(Tables tables) {
    super(tables);
    selectSql = "SELECT " + Rows.QUEUE_COLUMNS + " FROM " + t.queue + " WHERE " + claimable()
        + " ORDER BY priority DESC, scheduled_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
    updateSql = "UPDATE " + t.queue + " SET state = 'PROCESSING', lease_owner = ?, lease_expiry = ? WHERE id IN (?, ...)";
  }

  @Override public String scriptFolder() { return "h2"; }

  @Override public boolean transactionalDdl() { return false; }

  // An H2 database belongs to one JVM (embedded), so a JVM-wide lock serialises migrations.
  @Override public void lockMigration(Handle h) { MigrationLock.lock(); }

  @Override public void unlockMigration(Handle h) { MigrationLock.unlock(); }

  @Override public String upsert(String table, String key, String columns) {
    return "MERGE INTO " + table + " (" + columns + ") KEY (" + key + ") VALUES " + in(columns.split(",").length);
  }

  @Override protected List<Rows.EntryRow> selectForClaim(Handle h, long now, int limit) {
    return mapRows(h.createQuery(selectSql).bind(0, now).bind(1, now).bind(2, limit));
  }

  @Override public List<String> claimSql() { return List.of(selectSql, updateSql); }

  @Override public Set<String> takeDedupeKeys(Handle h, Map<String, Long> keys, long now) {
    PreparedBatch b = h.prepareBatch("MERGE INTO " + t.dedupe + " d USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS BIGINT)))"
        + " AS s(k, e) ON d.dedupe_key = s.k"
        + " WHEN MATCHED AND d.expires_at <= ? THEN UPDATE SET expires_at = s.e"
        + " WHEN NOT MATCHED THEN INSERT (dedupe_key, expires_at) VALUES (s.k, s.e)");
    List<String> order = new ArrayList<>(keys.keySet());
    for (String k : order) b.bind(0, k).bind(1, keys.get(k)).bind(2, now).add();
    return appliedKeys(b, order);
  }

  @Override public boolean tryAcquire(Handle h, String key, long window, int limit) {
    String sql = "MERGE INTO " + t.rates + " r USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS BIGINT))) AS s(k, w)"
        + " ON r.rate_key = s.k AND r.window_start = s.w"
        + " WHEN MATCHED AND r.permits < ? THEN UPDATE SET permits = r.permits + 1"
        + " WHEN NOT MATCHED THEN INSERT (rate_key, window_start, permits) VALUES (s.k, s.w, 1)";
    return retryOnDuplicate(() -> h.createUpdate(sql).bind(0, key).bind(1, window).bind(2, limit).execute() == 1);
  }

  @Override public boolean tryClaimTick(Handle h, String job, long tick, String owner) {
    String sql = "MERGE INTO " + t.ticks + " j USING (VALUES (CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS VARCHAR)))"
        + " AS s(job, tick, owner) ON j.job = s.job"
        + " WHEN MATCHED AND j.last_tick < s.tick THEN UPDATE SET last_tick = s.tick, owner = s.owner"
        + " WHEN NOT MATCHED THEN INSERT (job, last_tick, owner) VALUES (s.job, s.tick, s.owner)";
    return retryOnDuplicate(() -> h.createUpdate(sql).bind(0, job).bind(1, tick).bind(2, owner).execute() == 1);
  }

  /** Two MERGEs racing on a missing row: the loser gets a duplicate key and, retried, sees the row. */
  private static boolean retryOnDuplicate(java.util.function.BooleanSupplier op) {
    try {
      return op.getAsBoolean();
    } catch (RuntimeException e) {
      if (!isDuplicateKey(e)) throw e;
      return op.getAsBoolean();
    }
  }

  /** A reentrant-free JVM-wide lock that can be released from another call. */
  private static final class MigrationLock {
    private static final java.util.concurrent.Semaphore SEMAPHORE = new java.util.concurrent.Semaphore(1);

    static void lock() { SEMAPHORE.acquireUninterruptibly(); }

    static void unlock() { SEMAPHORE.release(); }
  }
}
