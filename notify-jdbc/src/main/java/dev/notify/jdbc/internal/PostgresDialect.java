package dev.notify.jdbc.internal;

import dev.notify.core.DeliveryLog;
import dev.notify.core.QueueEntry;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.NewEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * PostgreSQL 12+: every hot write is one statement, so it runs in auto-commit mode with one round trip.
 * Batches travel as one array per column and are expanded with {@code unnest}: enqueue (with the dedupe
 * keys taken by an {@code ON CONFLICT} upsert in a CTE), complete (an {@code UPDATE ... FROM unnest}
 * checking each lease, and the logs of the rows it changed inserted by a CTE) and logs. The claim is one
 * call of the schema's {@code <prefix>claim} function: locked CTEs with SKIP LOCKED and {@code UPDATE ... RETURNING},
 * planned with settings that keep it on the claim index (see the script).
 */
final class PostgresDialect extends SqlDialect {
  /** PostgreSQL array element types of the queue and log columns, from their java.sql.Types in {@link Rows}. */
  private static final String[] QUEUE_TYPES = pgTypes(Rows.QUEUE_SQL_TYPES);
  private static final String[] COMPLETE_TYPES = {"text", "text", "text", "int4", "int8", "text", "text", "text", "int8", "text"};
  private static final String[] LOG_TYPES = pgTypes(Rows.LOG_SQL_TYPES);

  private final String claimSql;
  /** Enqueue statements by which queue columns are bound as one value for the whole batch (see {@link #insertSql}). */
  private final Map<Long, String> insertSqlByShape = new ConcurrentHashMap<>();
  /** Shapes kept; a store that sees more (unusual) builds the others' statements each time. */
  private static final int MAX_SHAPES = 64;
  private final String insertLogsSql;
  private final String completeSql;
  private final String completeAndClaimSql;

  PostgresDialect(Tables tables) {
    super(tables);
    // The claim statement lives in the schema as a function (V1__init.sql), which pins its plan.
    claimSql = "SELECT * FROM " + t.prefix + "claim(?, ?, ?, ?)";
    insertLogsSql = "INSERT INTO " + t.log + " (" + Rows.LOG_COLUMNS + ") SELECT * FROM " + unnest(LOG_TYPES);
    completeSql = "WITH v AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::int4[], ?::int8[], ?::text[], ?::text[],"
        + " ?::text[], ?::int8[], ?::text[]) AS v(id, owner, state, attempts, scheduled_at, last_error, provider, external_id,"
        + " updated_at, delivery_status)),"
        + " u AS (UPDATE " + t.queue + " AS q SET state = v.state, attempts = v.attempts, scheduled_at = v.scheduled_at,"
        + " last_error = v.last_error, provider = v.provider, external_id = v.external_id, updated_at = v.updated_at,"
        + " delivery_status = COALESCE(v.delivery_status, q.delivery_status), lease_owner = NULL, lease_expiry = NULL"
        + " FROM v WHERE q.id = v.id AND q.lease_owner = v.owner AND q.state = 'PROCESSING' RETURNING q.id),"
        + " l AS (INSERT INTO " + t.log + " (" + Rows.LOG_COLUMNS + ") SELECT " + columns("l.c", LOG_TYPES.length)
        + " FROM " + unnest(append(LOG_TYPES, "text")) + " AS l(" + columns("c", LOG_TYPES.length) + ", for_id)"
        + " WHERE l.for_id IN (SELECT id FROM u))"
        + " SELECT id FROM u";
    completeAndClaimSql = completeSql + ";\n" + claimSql;
  }

  private static String[] pgTypes(int[] sqlTypes) {
    String[] out = new String[sqlTypes.length];
    for (int i = 0; i < sqlTypes.length; i++) {
      out[i] = switch (sqlTypes[i]) {
        case Types.BIGINT -> "int8";
        case Types.INTEGER -> "int4";
        case Types.BOOLEAN -> "bool";
        default -> "text";
      };
    }
    return out;
  }

  private static String unnest(String[] types) {
    StringBuilder sb = new StringBuilder("unnest(");
    for (int i = 0; i < types.length; i++) sb.append(i == 0 ? "" : ", ").append("?::").append(types[i]).append("[]");
    return sb.append(')').toString();
  }

  private static String columns(String prefix, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) sb.append(i == 1 ? "" : ", ").append(prefix).append(i);
    return sb.toString();
  }

  private static String[] append(String[] a, String last) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = last;
    return out;
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

  /**
   * The ids as an array computed once (an InitPlan), so the DELETE finds them through the primary key; with an
   * IN subquery PostgreSQL planned a hash semi-join over a sequential scan of the whole queue for every batch. The
   * planner picks {@code index} for the ordered read by itself.
   */
  @Override public String limitedDelete(String table, String index, String where, String orderBy, int limit) {
    return "DELETE FROM " + table + " WHERE id = ANY (ARRAY(SELECT id FROM " + table + " WHERE " + where + " ORDER BY "
        + orderBy + " LIMIT " + limit + ")) AND " + where;
  }

  @Override public String upsert(String table, String key, String columns) {
    String[] cols = columns.split(",\\s*");
    return "INSERT INTO " + table + " (" + columns + ") VALUES " + in(cols.length)
        + " ON CONFLICT (" + key + ") DO UPDATE SET " + assignments(cols, key, c -> "EXCLUDED." + c);
  }

  // ---- hot path ----

  @Override public boolean oneStatementWrites() { return true; }

  /** A deadlock or serialization failure aborts only the subtransaction: a rollback to the savepoint recovers. */
  @Override public boolean rolledBackWholeTransaction(Connection c, Throwable failure) { return false; }

  @Override public List<QueueEntry> enqueue(Connection c, List<NewEntry> candidates, Map<String, Long> keys, long now)
      throws SQLException {
    boolean keyed = !keys.isEmpty();
    if (!keyed && candidates.size() == 1) {
      try (PreparedStatement ps = c.prepareStatement(insertEntrySql())) {
        Rows.setEntry(ps, 0, candidates.get(0).entry());
        ps.executeUpdate();
      }
      return List.of(candidates.get(0).entry());
    }
    Object[][] cols = entryColumns(candidates, keyed);
    long shape = constantColumns(cols);
    long shapeKey = shape << 1 | (keyed ? 1 : 0);
    String sql = insertSqlByShape.get(shapeKey);
    if (sql == null) {
      sql = insertSql(shape, keyed);
      if (insertSqlByShape.size() < MAX_SHAPES) insertSqlByShape.put(shapeKey, sql);
    }
    if (!keyed) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bindColumns(c, ps, 0, cols, shape);
        ps.executeUpdate();
      }
      List<QueueEntry> out = new ArrayList<>(candidates.size());
      for (NewEntry ne : candidates) out.add(ne.entry());
      return out;
    }
    // Keys in sorted order: concurrent enqueues of overlapping keys lock them in the same order.
    TreeMap<String, Long> sorted = new TreeMap<>(keys);
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", sorted.keySet().toArray()));
      ps.setArray(2, c.createArrayOf("int8", sorted.values().toArray()));
      ps.setLong(3, now);
      bindColumns(c, ps, 3, cols, shape);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) inserted.add(rs.getString(1));
      }
    }
    List<QueueEntry> out = new ArrayList<>(inserted.size());
    for (NewEntry ne : candidates) if (inserted.contains(ne.entry().id())) out.add(ne.entry());
    return out;
  }

  /**
   * The enqueue statement for one shape: queue columns whose bit is set in {@code constant} are bound once,
   * as a scalar, the others as one array each, expanded with {@code unnest}. Fewer arrays mean less for the
   * JVM to encode and for PostgreSQL to parse and unnest (a campaign batch, or one rule's fires, share most
   * columns). With {@code keyed}, the dedupe keys are taken first (new, or the holder expired), and entries
   * without a key, or whose key was taken, are inserted.
   */
  private String insertSql(long constant, boolean keyed) {
    int n = QUEUE_TYPES.length + (keyed ? 1 : 0);
    StringBuilder select = new StringBuilder();
    StringBuilder arrays = new StringBuilder();
    StringBuilder names = new StringBuilder();
    for (int j = 0; j < n; j++) {
      String type = j < QUEUE_TYPES.length ? QUEUE_TYPES[j] : "text";
      boolean scalar = (constant >>> j & 1) == 1;
      if (j < QUEUE_TYPES.length) select.append(j == 0 ? "" : ", ").append(scalar ? "?::" + type : "v.c" + j);
      if (!scalar) {
        arrays.append(arrays.length() == 0 ? "" : ", ").append("?::").append(type).append("[]");
        names.append(names.length() == 0 ? "" : ", ").append("c").append(j);
      }
    }
    String insert = "INSERT INTO " + t.queue + " (" + Rows.QUEUE_COLUMNS + ") SELECT " + select
        + " FROM unnest(" + arrays + ") AS v(" + names + ")";
    if (!keyed) return insert;
    String key = "v.c" + QUEUE_TYPES.length;
    return "WITH taken AS (INSERT INTO " + t.dedupe + " AS d (dedupe_key, expires_at)"
        + " SELECT * FROM unnest(?::text[], ?::int8[])"
        + " ON CONFLICT (dedupe_key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE d.expires_at <= ?"
        + " RETURNING dedupe_key) "
        + insert + " WHERE " + key + " IS NULL OR " + key + " IN (SELECT dedupe_key FROM taken) RETURNING id";
  }

  /** Bit j set: every row has the same value in queue column j (the key column is never constant). */
  private static long constantColumns(Object[][] cols) {
    long mask = 0;
    for (int j = 0; j < QUEUE_TYPES.length; j++) {
      Object first = cols[j][0];
      boolean same = cols[j].length > 1;
      for (int i = 1; i < cols[j].length && same; i++) same = Objects.equals(first, cols[j][i]);
      if (same) mask |= 1L << j;
    }
    return mask;
  }

  /** Binds the one value of each constant column, then the arrays of the others, from parameter {@code at + 1}. */
  private static void bindColumns(Connection c, PreparedStatement ps, int at, Object[][] cols, long constant) throws SQLException {
    int p = at;
    for (int j = 0; j < QUEUE_TYPES.length; j++) {
      if ((constant >>> j & 1) == 0) continue;
      Rows.setValue(ps, ++p, cols[j][0], Rows.QUEUE_SQL_TYPES[j]);
    }
    for (int j = 0; j < cols.length; j++) {
      if ((constant >>> j & 1) == 1) continue;
      ps.setArray(++p, c.createArrayOf(j < QUEUE_TYPES.length ? QUEUE_TYPES[j] : "text", cols[j]));
    }
  }

  /** One value array per queue column (and with {@code withKeys}, the stored dedupe keys last). */
  private static Object[][] entryColumns(List<NewEntry> entries, boolean withKeys) {
    int n = entries.size();
    Object[][] cols = new Object[QUEUE_TYPES.length + (withKeys ? 1 : 0)][n];
    Object[] row = new Object[Rows.QUEUE_COLUMN_COUNT];
    for (int i = 0; i < n; i++) {
      QueueEntry e = entries.get(i).entry();
      Rows.entryValues(e, row);
      for (int j = 0; j < row.length; j++) cols[j][i] = row[j];
      if (withKeys) cols[25][i] = e.dedupeKey() == null ? null : Keys.stored(e.dedupeKey());
    }
    return cols;
  }

  @Override public List<String> complete(Connection c, List<EntryUpdate> updates) throws SQLException {
    Map<String, EntryUpdate> first = firstOfEachId(updates);
    Set<String> applied = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(completeSql)) {
      bindComplete(c, ps, first);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) applied.add(rs.getString(1));
      }
    }
    List<String> out = new ArrayList<>(applied.size());
    for (String id : first.keySet()) if (applied.contains(id)) out.add(id);
    return out;
  }

  /**
   * The complete statement and the claim sent together: one round trip, and (with one Sync) one implicit
   * transaction, so the claim sees the updates (a retry that is due again may be claimed at once).
   */
  @Override public List<Rows.EntryRow> completeAndClaim(Connection c, List<EntryUpdate> updates, long now, int limit, String owner,
                                                      long leaseUntil) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(completeAndClaimSql)) {
      int at = bindComplete(c, ps, firstOfEachId(updates));
      bindClaim(ps, at, now, limit, owner, leaseUntil);
      ps.execute();
      if (!ps.getMoreResults()) throw new SQLException("the claim returned no result set");
      List<Rows.EntryRow> out = new ArrayList<>();
      try (ResultSet rs = ps.getResultSet()) {
        while (rs.next()) out.add(Rows.entryRow(rs));
      }
      return out;
    }
  }

  @Override public boolean completesAndClaimsAtOnce() { return true; }

  /** The first update of an id wins (a later one would find the lease already cleared). */
  private static Map<String, EntryUpdate> firstOfEachId(List<EntryUpdate> updates) {
    Map<String, EntryUpdate> first = new LinkedHashMap<>();
    for (EntryUpdate u : updates) first.putIfAbsent(u.id(), u);
    return first;
  }

  /** Binds the complete statement's arrays from parameter 1; returns the last parameter index bound. */
  private static int bindComplete(Connection c, PreparedStatement ps, Map<String, EntryUpdate> first) throws SQLException {
    int n = first.size();
    Object[][] u = new Object[10][n];
    List<DeliveryLog> logs = new ArrayList<>(n);
    List<String> logFor = new ArrayList<>(n);
    int i = 0;
    for (EntryUpdate e : first.values()) {
      u[0][i] = e.id();
      u[1][i] = e.leaseOwner();
      u[2][i] = e.state().name();
      u[3][i] = e.attempts();
      u[4][i] = Times.micros(e.scheduledAt());
      u[5][i] = e.lastError();
      u[6][i] = e.provider();
      u[7][i] = e.externalId();
      u[8][i] = Times.micros(e.updatedAt());
      u[9][i] = e.log() == null ? null : e.log().deliveryStatus().name();
      if (e.log() != null) {
        logs.add(e.log());
        logFor.add(e.id());
      }
      i++;
    }
    for (int j = 0; j < COMPLETE_TYPES.length; j++) ps.setArray(j + 1, c.createArrayOf(COMPLETE_TYPES[j], u[j]));
    setLogArrays(c, ps, COMPLETE_TYPES.length, logs, logFor);
    return COMPLETE_TYPES.length + LOG_TYPES.length + 1;
  }

  @Override public void insertLogs(Connection c, List<DeliveryLog> logs) throws SQLException {
    if (logs.isEmpty()) return;
    if (logs.size() == 1) {
      super.insertLogs(c, logs);
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(insertLogsSql)) {
      setLogArrays(c, ps, 0, logs, null);
      ps.executeUpdate();
    }
  }

  /** Binds one array per log column (and with {@code logFor}, the entry each log belongs to) from parameter {@code at + 1}. */
  private static void setLogArrays(Connection c, PreparedStatement ps, int at, List<DeliveryLog> logs, List<String> logFor)
      throws SQLException {
    int n = logs.size();
    Object[][] cols = new Object[LOG_TYPES.length][n];
    Object[] row = new Object[Rows.LOG_COLUMN_COUNT];
    for (int i = 0; i < n; i++) {
      Rows.logValues(logs.get(i), row);
      for (int j = 0; j < row.length; j++) cols[j][i] = row[j];
    }
    for (int j = 0; j < cols.length; j++) ps.setArray(at + j + 1, c.createArrayOf(LOG_TYPES[j], cols[j]));
    if (logFor != null) ps.setArray(at + cols.length + 1, c.createArrayOf("text", logFor.toArray()));
  }

  @Override public List<Rows.EntryRow> claim(Connection c, long now, int limit, String owner, long leaseUntil) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(claimSql)) {
      bindClaim(ps, 0, now, limit, owner, leaseUntil);
      return readRows(ps);
    }
  }

  private static void bindClaim(PreparedStatement ps, int at, long now, int limit, String owner, long leaseUntil) throws SQLException {
    ps.setLong(at + 1, now);
    ps.setInt(at + 2, limit);
    ps.setString(at + 3, owner);
    ps.setLong(at + 4, leaseUntil);
  }

  @Override public boolean claimNeedsTransaction() { return false; }

  @Override public List<String> claimSql() { return List.of(claimSql); }

  @Override protected Set<String> takeDedupeKeys(Connection c, Map<String, Long> keys, long now) {
    throw new UnsupportedOperationException("PostgreSQL takes dedupe keys inside the enqueue statement");
  }

  @Override public boolean tryAcquire(Handle h, String key, long window, int limit) {
    return h.createQuery("INSERT INTO " + t.rates + " AS r (rate_key, window_start, permits) VALUES (?, ?, 1)"
            + " ON CONFLICT (rate_key, window_start) DO UPDATE SET permits = r.permits + 1 WHERE r.permits < ?"
            + " RETURNING permits")
        .bind(0, key).bind(1, window).bind(2, limit).mapTo(Integer.class).findOne().isPresent();
  }

  /** EXCLUDED.claimed_at is {@code now}. */
  @Override public boolean tryClaimTick(Handle h, String job, long tick, String owner, long now, long leaseUntil) {
    return h.createUpdate("INSERT INTO " + t.ticks + " AS j (job, last_tick, owner, claimed_at, lease_until) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (job) DO UPDATE SET last_tick = EXCLUDED.last_tick, owner = EXCLUDED.owner,"
            + " claimed_at = EXCLUDED.claimed_at, lease_until = EXCLUDED.lease_until, finished_at = NULL"
            + " WHERE j.last_tick < EXCLUDED.last_tick AND (j.finished_at IS NOT NULL OR j.lease_until < EXCLUDED.claimed_at)"
            + " OR j.last_tick = EXCLUDED.last_tick AND j.finished_at IS NULL AND j.lease_until < EXCLUDED.claimed_at")
        .bind(0, job).bind(1, tick).bind(2, owner).bind(3, now).bind(4, leaseUntil).execute() == 1;
  }
}
