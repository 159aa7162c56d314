package dev.notify.jdbc.internal;

import java.sql.BatchUpdateException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * H2 2.x: SELECT ... FOR UPDATE SKIP LOCKED then UPDATE in one transaction. Dedupe keys, permits and
 * ticks: a conditional UPDATE, else an INSERT whose duplicate key means another caller holds the row.
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
    List<String> order = new ArrayList<>(keys.keySet());
    PreparedBatch update = h.prepareBatch("UPDATE " + t.dedupe + " SET expires_at = ? WHERE dedupe_key = ? AND expires_at <= ?");
    for (String k : order) update.bind(0, keys.get(k)).bind(1, k).bind(2, now).add();
    Set<String> taken = appliedKeys(update, order);
    List<String> absent = new ArrayList<>();
    for (String k : order) if (!taken.contains(k)) absent.add(k);
    if (absent.isEmpty()) return taken;
    // Keys the update did not take are new, or blocked: inserting a blocked (or concurrently inserted) key
    // fails with a duplicate key, and H2 goes on with the rest of the batch.
    PreparedBatch insert = h.prepareBatch("INSERT INTO " + t.dedupe + " (dedupe_key, expires_at) VALUES (?, ?)");
    for (String k : absent) insert.bind(0, k).bind(1, keys.get(k)).add();
    int[] counts;
    try {
      counts = insert.execute();
    } catch (RuntimeException e) {
      BatchUpdateException batch = batchFailure(e);
      if (batch == null || !isDuplicateKey(e)) throw e;
      counts = batch.getUpdateCounts();
    }
    for (int i = 0; i < absent.size(); i++) if (i < counts.length && counts[i] > 0) taken.add(absent.get(i));
    Set<String> ordered = new LinkedHashSet<>();
    for (String k : order) if (taken.contains(k)) ordered.add(k);
    return ordered;
  }

  @Override public boolean tryAcquire(Handle h, String key, long window, int limit) {
    String update = "UPDATE " + t.rates + " SET permits = permits + 1 WHERE rate_key = ? AND window_start = ? AND permits < ?";
    String insert = "INSERT INTO " + t.rates + " (rate_key, window_start, permits) VALUES (?, ?, 1)";
    return updateOrInsert(() -> h.createUpdate(update).bind(0, key).bind(1, window).bind(2, limit).execute() == 1,
        () -> h.createUpdate(insert).bind(0, key).bind(1, window).execute() == 1);
  }

  @Override public boolean tryClaimTick(Handle h, String job, long tick, String owner) {
    String update = "UPDATE " + t.ticks + " SET last_tick = ?, owner = ? WHERE job = ? AND last_tick < ?";
    String insert = "INSERT INTO " + t.ticks + " (job, last_tick, owner) VALUES (?, ?, ?)";
    return updateOrInsert(() -> h.createUpdate(update).bind(0, tick).bind(1, owner).bind(2, job).bind(3, tick).execute() == 1,
        () -> h.createUpdate(insert).bind(0, job).bind(1, tick).bind(2, owner).execute() == 1);
  }

  /**
   * The conditional update wins if the row exists; else the insert, unless another caller inserted the row
   * first (duplicate key): then the update decides. Each statement commits on its own.
   */
  private static boolean updateOrInsert(BooleanSupplier update, BooleanSupplier insert) {
    if (update.getAsBoolean()) return true;
    try {
      return insert.getAsBoolean();
    } catch (RuntimeException e) {
      if (!isDuplicateKey(e)) throw e;
      return update.getAsBoolean();
    }
  }

  private static BatchUpdateException batchFailure(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) if (c instanceof BatchUpdateException) return (BatchUpdateException) c;
    return null;
  }

  /** A reentrant-free JVM-wide lock that can be released from another call. */
  private static final class MigrationLock {
    private static final java.util.concurrent.Semaphore SEMAPHORE = new java.util.concurrent.Semaphore(1);

    static void lock() { SEMAPHORE.acquireUninterruptibly(); }

    static void unlock() { SEMAPHORE.release(); }
  }
}
