package dev.notify.jdbc.internal;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;

/**
 * H2 2.x: due PENDING rows in claim order (one priority at a time) and expired leases read without locks, then
 * one UPDATE of those ids that re-checks the claim condition under the row locks and returns what it claimed
 * (FINAL TABLE). Dedupe keys, permits and ticks: a conditional UPDATE, else an INSERT whose duplicate key means
 * another caller holds the row.
 */
final class H2Dialect extends SqlDialect {
  private final String pendingSql;
  private final String expiredSql;
  private final String claimUpdateSql;
  private final String updateSql;

  H2Dialect(Tables tables) {
    super(tables);
    // H2 locks every row a FOR UPDATE query reads before ORDER BY/LIMIT, so candidates are read without
    // locks and the UPDATE re-checks each under its row lock; FINAL TABLE returns the rows it changed.
    // The index hint and the constant state in ORDER BY let H2 read queue_claim_idx in claim order and stop at
    // the limit ("index sorted"); left to itself it may pick another index and sort every due row on each claim.
    // one priority's due rows: with the priority fixed, the range of the index ends at scheduled_at <= now
    pendingSql = "SELECT id, priority, scheduled_at FROM " + t.queue + " USE INDEX (" + t.prefix + "queue_claim_idx)"
        + " WHERE state = 'PENDING' AND priority = ? AND scheduled_at <= ? AND " + campaignNotHeld()
        + " ORDER BY state, priority DESC, scheduled_at, id LIMIT ?";
    // expired leases: the PROCESSING rows (those in flight) of the same index, in claim order
    expiredSql = "SELECT id, priority, scheduled_at FROM " + t.queue + " USE INDEX (" + t.prefix + "queue_claim_idx)"
        + " WHERE state = 'PROCESSING' AND lease_expiry < ? AND " + campaignNotHeld() + " ORDER BY state, priority DESC, scheduled_at, id LIMIT ?";
    claimUpdateSql = "UPDATE " + t.queue
        + " SET state = 'PROCESSING', lease_owner = ?, lease_expiry = ?, updated_at = ? WHERE id = ANY(?)"
        + " AND ((state = 'PENDING' AND scheduled_at <= ?) OR (state = 'PROCESSING' AND lease_expiry < ?)) AND " + campaignNotHeld();
    updateSql = "SELECT " + Rows.QUEUE_COLUMNS + " FROM FINAL TABLE (" + claimUpdateSql + ")";
  }

  @Override public String scriptFolder() { return "h2"; }

  @Override public boolean transactionalDdl() { return false; }

  // An H2 database belongs to one JVM (embedded), so a JVM-wide lock serialises migrations.
  @Override public void lockMigration(Handle h) { MigrationLock.lock(); }

  @Override public void unlockMigration(Handle h) { MigrationLock.unlock(); }

  /** With an index hint: left to itself H2 read {@code campaign_id IS NULL} through the campaign index and sorted. */
  @Override public String limitedDelete(String table, String index, String where, String orderBy, int limit) {
    return "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " USE INDEX (" + index + ") WHERE " + where
        + " ORDER BY " + orderBy + " LIMIT " + limit + ") AND " + where;
  }

  @Override public String upsert(String table, String key, String columns) {
    return "MERGE INTO " + table + " (" + columns + ") KEY (" + key + ") VALUES " + in(columns.split(",").length);
  }

  @Override public List<Rows.EntryRow> claim(Connection c, long now, int limit, String owner, long leaseUntil) throws SQLException {
    List<String> ids = new ArrayList<>(Math.min(limit, 256));
    for (Candidate cand : candidates(c, now, limit)) ids.add(cand.id);
    if (ids.isEmpty()) return List.of();
    // one array parameter, not an IN list per batch size: the statement text stays the same, so H2 keeps it parsed
    // in the session's statement cache (H2 reads = ANY(?) through the primary key like an IN list)
    try (PreparedStatement ps = c.prepareStatement(updateSql)) {
      ps.setString(1, owner);
      ps.setLong(2, leaseUntil);
      ps.setLong(3, now);
      ps.setObject(4, ids.toArray(new String[0]));
      ps.setLong(5, now);
      ps.setLong(6, now);
      return readRows(ps);
    }
  }

  /** The UPDATE re-checks each candidate under its row lock: no lock is held between the statements. */
  @Override public boolean claimNeedsTransaction() { return false; }

  private record Candidate(String id, int priority, long scheduledAt) {}

  private static List<Candidate> read(PreparedStatement ps) throws SQLException {
    List<Candidate> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(new Candidate(rs.getString(1), rs.getInt(2), rs.getLong(3)));
    }
    return out;
  }

  private List<Candidate> candidates(Connection c, long now, int limit) throws SQLException {
    List<Candidate> all = duePendingByPriority(c, firstPendingSql(false), firstPendingSql(true), pendingSql,
        p -> p == Integer.MIN_VALUE ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(p - 1), now, limit,
        H2Dialect::read);
    all.addAll(selectRows(c, expiredSql, now, limit, H2Dialect::read));
    if (all.size() <= limit) return all;
    all.sort(Comparator.comparingInt(Candidate::priority).reversed().thenComparingLong(Candidate::scheduledAt)
        .thenComparing(Candidate::id));
    return all.subList(0, limit);
  }

  /**
   * H2 has no due index: the claim index (state, priority DESC, scheduled_at, id) lists each priority's PENDING
   * rows earliest first, so the earliest of all is the first row of one of the priorities. One indexed lookup per
   * distinct priority (a handful) instead of a scan of every PENDING row, which a queue of deferred entries (quiet
   * hours, retries) can make long, on every idle turn of the dispatcher.
   */
  @Override public Long minPendingScheduled(Connection c, Long bound) throws SQLException {
    Long min = null;
    Integer last = null; // the priority found last; the next lookup starts below it
    while (last == null || last != Integer.MIN_VALUE) {
      try (PreparedStatement ps = c.prepareStatement(firstPendingSql(last != null))) {
        if (last != null) ps.setInt(1, last - 1);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) break;
          last = rs.getInt(1);
          long at = rs.getLong(2);
          if ((bound == null || at <= bound) && (min == null || at < min)) min = at;
        }
      }
    }
    return min;
  }

  /**
   * The first PENDING row in claim order, with {@code atOrBelow} of priority {@code <= ?}. Not {@code < last}: H2
   * starts the index range at an inclusive bound and would read every row of the last priority first.
   */
  String firstPendingSql(boolean atOrBelow) {
    return "SELECT priority, scheduled_at FROM " + t.queue + " USE INDEX (" + t.prefix + "queue_claim_idx) WHERE state = 'PENDING'"
        + (atOrBelow ? " AND priority <= ?" : "") + " ORDER BY state, priority DESC, scheduled_at, id LIMIT 1";
  }

  /** The read of one priority's due rows (priority, now, limit), for tests. */
  String pendingSql() { return pendingSql; }

  /** The claim's UPDATE (the claim reads its rows back through FINAL TABLE). */
  String claimUpdateSql() { return claimUpdateSql; }

  @Override public List<String> claimSql() {
    return List.of(firstPendingSql(false), firstPendingSql(true), pendingSql, expiredSql, updateSql);
  }

  /**
   * Whether every row of a failed batch failed on a duplicate key. H2 reports the first failure as the batch's
   * own state and chains each row's failure as a next exception: a key held by a transaction that did not end
   * within LOCK_TIMEOUT fails differently, and must fail the enqueue rather than count as a duplicate.
   */
  static boolean onlyDuplicateKeys(BatchUpdateException e) {
    int checked = 0;
    for (SQLException x = e.getNextException(); x != null && checked < 100_000; x = x.getNextException(), checked++) {
      if (!isDuplicateKey(x)) return false;
    }
    return checked > 0 || isDuplicateKey(e);
  }

  @Override protected Set<String> takeDedupeKeys(Connection c, Map<String, Long> keys, long now) throws SQLException {
    List<String> order = new ArrayList<>(keys.keySet());
    Set<String> taken = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.dedupe + " SET expires_at = ? WHERE dedupe_key = ? AND expires_at <= ?")) {
      for (String k : order) {
        ps.setLong(1, keys.get(k));
        ps.setString(2, k);
        ps.setLong(3, now);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) if (counts[i] > 0) taken.add(order.get(i));
    }
    List<String> absent = new ArrayList<>();
    for (String k : order) if (!taken.contains(k)) absent.add(k);
    if (absent.isEmpty()) return taken;
    // Keys the update did not take are new, or blocked: inserting a blocked (or concurrently inserted) key
    // fails with a duplicate key, and H2 goes on with the rest of the batch.
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.dedupe + " (dedupe_key, expires_at) VALUES (?, ?)")) {
      for (String k : absent) {
        ps.setString(1, k);
        ps.setLong(2, keys.get(k));
        ps.addBatch();
      }
      try {
        counts = ps.executeBatch();
      } catch (BatchUpdateException e) {
        if (!onlyDuplicateKeys(e)) throw e;
        counts = e.getUpdateCounts();
      }
    }
    for (int i = 0; i < absent.size(); i++) if (i < counts.length && counts[i] > 0) taken.add(absent.get(i));
    return taken;
  }

  @Override public boolean tryAcquire(Handle h, String key, long window, int limit) {
    String update = "UPDATE " + t.rates + " SET permits = permits + 1 WHERE rate_key = ? AND window_start = ? AND permits < ?";
    String insert = "INSERT INTO " + t.rates + " (rate_key, window_start, permits) VALUES (?, ?, 1)";
    return updateOrInsert(() -> h.createUpdate(update).bind(0, key).bind(1, window).bind(2, limit).execute() == 1,
        () -> h.createUpdate(insert).bind(0, key).bind(1, window).execute() == 1);
  }

  @Override public boolean tryClaimTick(Handle h, String job, long tick, String owner, long now, long leaseUntil) {
    return updateOrInsert(() -> updateTickClaim(h, job, tick, owner, now, leaseUntil),
        () -> h.createUpdate(insertTickClaimSql("INSERT")).bind(0, job).bind(1, tick).bind(2, owner).bind(3, now)
            .bind(4, leaseUntil).execute() == 1);
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

  /** A reentrant-free JVM-wide lock that can be released from another call. */
  private static final class MigrationLock {
    private static final java.util.concurrent.Semaphore SEMAPHORE = new java.util.concurrent.Semaphore(1);

    static void lock() { SEMAPHORE.acquireUninterruptibly(); }

    static void unlock() { SEMAPHORE.release(); }
  }
}
