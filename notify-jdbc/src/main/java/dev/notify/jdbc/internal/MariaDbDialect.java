package dev.notify.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * MariaDB 10.6+ and MySQL 8: SELECT ... FOR UPDATE SKIP LOCKED (no UPDATE ... RETURNING) then one
 * UPDATE by id. The due PENDING rows are read in index order (state, priority_rank, scheduled_at, id) so
 * InnoDB locks only the rows it returns; expired leases are a second, usually empty, select. Batch row
 * counts are not trusted (Connector/J bulk mode answers SUCCESS_NO_INFO).
 */
final class MariaDbDialect extends LockingSelectDialect {
  private final String pendingSql;
  private final String firstSql;
  private final String nextSql;
  private final String expiredSql;
  private final String updateSql;

  MariaDbDialect(Tables tables) {
    super(tables);
    // one priority's due rows (see duePendingByPriority): with priority_rank fixed, the range ends at now
    pendingSql = "SELECT " + Rows.QUEUE_COLUMNS + " FROM " + t.queue + " FORCE INDEX (" + t.prefix + "queue_claim_idx)"
        + " WHERE state = 'PENDING' AND priority_rank = ? AND scheduled_at <= ? AND " + campaignNotHeld()
        + " ORDER BY priority_rank, scheduled_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
    firstSql = firstPendingSql(false);
    nextSql = firstPendingSql(true);
    expiredSql = "SELECT " + Rows.QUEUE_COLUMNS + " FROM " + t.queue
        + " WHERE state = 'PROCESSING' AND lease_expiry < ? AND " + campaignNotHeld()
        + " ORDER BY priority_rank, scheduled_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
    updateSql = claimUpdateSql("(?, ...)");
  }

  @Override public String scriptFolder() { return "mariadb"; }

  @Override public boolean transactionalDdl() { return false; }

  @Override public void lockMigration(Handle h) {
    Integer got = h.createQuery("SELECT GET_LOCK(?, 60)").bind(0, lockName()).mapTo(Integer.class).one();
    if (got == null || got != 1) {
      throw new dev.notify.core.StoreException("could not take the migration lock " + lockName() + " within 60 s");
    }
  }

  @Override public void unlockMigration(Handle h) {
    h.createQuery("SELECT RELEASE_LOCK(?)").bind(0, lockName()).mapTo(Integer.class).one();
  }

  private String lockName() { return "notify_migrate_" + t.prefix; }

  /**
   * READ COMMITTED for the store's own transactions: no gap locks, so concurrent enqueues of the same new
   * dedupe key and concurrent claims do not deadlock; applies to the next transaction only.
   */
  @Override public void beginTransaction(Handle h) {
    h.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
  }

  @Override public void beginTransaction(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
    }
  }

  /** MariaDB's and MySQL's error code for "Lock wait timeout exceeded". */
  private static final int LOCK_WAIT_TIMEOUT = 1205;

  /**
   * A deadlock victim (error 1213, SQLState 40001) loses its whole transaction, and so does a statement that waited
   * for a lock longer than {@code innodb_lock_wait_timeout} (error 1205) when {@code innodb_rollback_on_timeout} is
   * on; when that setting cannot be read, the transaction is taken as rolled back (the safe answer: the host then
   * retries rather than commits).
   */
  @Override public boolean rolledBackWholeTransaction(Connection c, Throwable failure) {
    if (super.rolledBackWholeTransaction(c, failure)) return true;
    if (!hasErrorCode(failure, LOCK_WAIT_TIMEOUT)) return false;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@innodb_rollback_on_timeout")) {
      return !rs.next() || rs.getBoolean(1);
    } catch (SQLException e) {
      failure.addSuppressed(e);
      return true;
    }
  }

  private static boolean hasErrorCode(Throwable failure, int code) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < 10; t = t.getCause()) {
      if (t instanceof SQLException && ((SQLException) t).getErrorCode() == code) return true;
    }
    return false;
  }

  /**
   * MariaDB refuses a subquery on the table a DELETE deletes from; a multi-table DELETE with each key's latest
   * window, from a derived table, says the same. (A join of each old window with every later one of its key read
   * rows x rows: 3 minutes for 1,100 of 100,000 per-second windows, 0.16 s this way.)
   */
  @Override public String deleteEndedRateWindowsSql() {
    return "DELETE r FROM " + t.rates + " r JOIN (SELECT rate_key, MAX(window_start) AS latest FROM " + t.rates
        + " GROUP BY rate_key) m ON m.rate_key = r.rate_key WHERE r.window_start < ? AND r.window_start < m.latest";
  }

  /**
   * A join with the ordered, limited ids: MariaDB refuses LIMIT in an IN subquery and index hints in a
   * single-table DELETE, and left to itself it read a large cutoff's rows through queue_lease_idx with a filesort,
   * locking rows past the cutoff. The ids are ordered, so statement-based replication deletes the same rows.
   */
  @Override public String limitedDelete(String table, String index, String where, String orderBy, int limit) {
    return "DELETE q FROM " + table + " q JOIN (SELECT id FROM " + table + " FORCE INDEX (" + index + ") WHERE " + where
        + " ORDER BY " + orderBy + " LIMIT " + limit + ") d ON q.id = d.id WHERE " + where;
  }

  @Override public String upsert(String table, String key, String columns) {
    String[] cols = columns.split(",\\s*");
    return "INSERT INTO " + table + " (" + columns + ") VALUES " + in(cols.length) + " ON DUPLICATE KEY UPDATE "
        + assignments(cols, key, c -> "VALUES(" + c + ")");
  }

  @Override protected List<Rows.EntryRow> selectForClaim(Connection c, long now, int limit) throws SQLException {
    List<Rows.EntryRow> rows = duePendingByPriority(c, firstSql, nextSql, pendingSql,
        rank -> rank == Integer.MAX_VALUE ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(rank), now, limit,
        SqlDialect::readRows);
    return withExpired(c, rows, expiredSql, now, limit);
  }

  /** The first PENDING row of the highest priority, or (with a parameter) of the highest below a priority_rank. */
  private String firstPendingSql(boolean below) {
    return "SELECT priority_rank, scheduled_at FROM " + t.queue + " FORCE INDEX (" + t.prefix + "queue_claim_idx)"
        + " WHERE state = 'PENDING'" + (below ? " AND priority_rank > ?" : "") + " ORDER BY priority_rank, scheduled_at, id LIMIT 1";
  }

  @Override public List<String> claimSql() { return List.of(firstSql, nextSql, pendingSql, expiredSql, updateSql); }

  @Override public boolean exactBatchCounts() { return false; }

  /**
   * One statement per key, insert first: a new key is inserted with this call's token; an existing one takes the
   * token and the new expiry only if it expired. Looking a missing key up first (an UPDATE) took a gap lock under
   * REPEATABLE READ (a host's transaction), and two transactions inserting keys into the same gap then deadlocked.
   * Both conditions read the old expires_at, which only the last assignment changes, so the result does not
   * depend on the order MariaDB applies the assignments in (SIMULTANEOUS_ASSIGNMENT).
   */
  @Override protected Set<String> takeDedupeKeys(Connection c, Map<String, Long> keys, long now) throws SQLException {
    String token = UUID.randomUUID().toString();
    List<String> order = new ArrayList<>(keys.keySet());
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.dedupe + " (dedupe_key, expires_at, claim_token) VALUES (?, ?, ?)"
        + " ON DUPLICATE KEY UPDATE claim_token = IF(expires_at <= ?, VALUES(claim_token), claim_token),"
        + " expires_at = IF(expires_at <= ?, VALUES(expires_at), expires_at)")) {
      for (String k : order) {
        ps.setString(1, k);
        ps.setLong(2, keys.get(k));
        ps.setString(3, token);
        ps.setLong(4, now);
        ps.setLong(5, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    Set<String> taken = new HashSet<>();
    for (int from = 0; from < order.size(); from += IN_CHUNK) {
      List<String> chunk = order.subList(from, Math.min(order.size(), from + IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement("SELECT dedupe_key FROM " + t.dedupe + " WHERE claim_token = ? AND dedupe_key IN "
          + in(chunk.size()))) {
        ps.setString(1, token);
        for (int i = 0; i < chunk.size(); i++) ps.setString(i + 2, chunk.get(i));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) taken.add(rs.getString(1));
        }
      }
    }
    return taken;
  }

  @Override public boolean tryAcquire(Handle h, String key, long window, int limit) {
    String update = "UPDATE " + t.rates + " SET permits = permits + 1 WHERE rate_key = ? AND window_start = ? AND permits < ?";
    if (h.createUpdate(update).bind(0, key).bind(1, window).bind(2, limit).execute() == 1) return true;
    if (h.createUpdate("INSERT IGNORE INTO " + t.rates + " (rate_key, window_start, permits) VALUES (?, ?, 1)")
        .bind(0, key).bind(1, window).execute() == 1) {
      return true;
    }
    return h.createUpdate(update).bind(0, key).bind(1, window).bind(2, limit).execute() == 1;
  }

  @Override public boolean tryClaimTick(Handle h, String job, long tick, String owner, long now, long leaseUntil) {
    if (updateTickClaim(h, job, tick, owner, now, leaseUntil)) return true;
    if (h.createUpdate(insertTickClaimSql("INSERT IGNORE")).bind(0, job).bind(1, tick).bind(2, owner).bind(3, now)
        .bind(4, leaseUntil).execute() == 1) {
      return true;
    }
    return updateTickClaim(h, job, tick, owner, now, leaseUntil); // another node inserted the row meanwhile
  }
}
