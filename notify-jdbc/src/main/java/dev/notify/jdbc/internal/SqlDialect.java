package dev.notify.jdbc.internal;

import dev.notify.core.QueueEntry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The statements that differ between databases: upserts, the claim, dedupe keys, rate-limit permits and
 * job ticks. Everything else is portable SQL in the repositories.
 */
public abstract class SqlDialect {
  /** Claim order: priority desc, scheduledAt asc, id asc. */
  public static final Comparator<QueueEntry> CLAIM_ORDER = Comparator.comparingInt(QueueEntry::priority).reversed()
      .thenComparing(QueueEntry::scheduledAt).thenComparing(QueueEntry::id);

  protected final Tables t;

  protected SqlDialect(Tables tables) { this.t = tables; }

  public static SqlDialect of(String name, Tables tables) {
    switch (name) {
      case "postgres": return new PostgresDialect(tables);
      case "mariadb": return new MariaDbDialect(tables);
      case "h2": return new H2Dialect(tables);
      default: throw new IllegalArgumentException("unknown dialect " + name);
    }
  }

  /** Folder of the schema scripts under /dev/notify/jdbc/schema/. */
  public abstract String scriptFolder();

  /** Whether DDL runs inside a transaction (a failed migration leaves nothing behind). */
  public abstract boolean transactionalDdl();

  /** Serialises migrations of the same prefix across nodes; held on {@code h} until {@link #unlockMigration}. */
  public abstract void lockMigration(Handle h);

  public abstract void unlockMigration(Handle h);

  /** Runs first in each transaction the store opens itself (not in a host's transaction). */
  public void beginTransaction(Handle h) {}

  /** INSERT or replace by {@code key} (the first of {@code columns}). */
  public abstract String upsert(String table, String key, String columns);

  protected String notPaused() {
    return "(campaign_id IS NULL OR campaign_id NOT IN (SELECT id FROM " + t.campaigns + " WHERE state = 'PAUSED'))";
  }

  /**
   * Claims up to {@code limit} rows inside the caller's transaction and returns them as they are now
   * (PROCESSING, leased to {@code owner}), in any order.
   */
  public abstract List<Rows.EntryRow> claim(Handle h, long now, int limit, String owner, long leaseUntil);

  /**
   * Due PENDING rows read in claim order from the claim index, plus PROCESSING rows whose lease expired
   * (usually none); the best {@code limit} of both. With FOR UPDATE in the statements, the rows not chosen
   * stay locked, unchanged, until the transaction ends.
   */
  protected static List<Rows.EntryRow> pendingThenExpired(Handle h, String pendingSql, String expiredSql, long now, int limit) {
    List<Rows.EntryRow> rows = new ArrayList<>(mapRows(h.createQuery(pendingSql).bind(0, now).bind(1, limit)));
    rows.addAll(mapRows(h.createQuery(expiredSql).bind(0, now).bind(1, limit)));
    if (rows.size() <= limit) return rows;
    rows.sort((a, b) -> CLAIM_ORDER.compare(a.entry(), b.entry()));
    return new ArrayList<>(rows.subList(0, limit));
  }

  /** The claim statement(s), for documentation and tests. */
  public abstract List<String> claimSql();

  /**
   * Takes the dedupe keys whose previous holder expired at or before {@code now} (or that are new), inside
   * the caller's transaction. @param keys stored key → expiry, in input order @return the keys taken
   */
  public abstract Set<String> takeDedupeKeys(Handle h, Map<String, Long> keys, long now);

  /** Atomically takes one permit of (key, window) if fewer than {@code limit} were taken. */
  public abstract boolean tryAcquire(Handle h, String key, long window, int limit);

  /** Atomically moves the job's last tick to {@code tick} if it is later than the stored one (or none). */
  public abstract boolean tryClaimTick(Handle h, String job, long tick, String owner);

  /**
   * Whether batch update counts are exact per row. MariaDB Connector/J may answer SUCCESS_NO_INFO for
   * batches; then complete() locks and checks the rows first.
   */
  public boolean exactBatchCounts() { return true; }

  // ---- helpers ----

  public static String in(int n) {
    StringBuilder sb = new StringBuilder(n * 2 + 2).append('(');
    for (int i = 0; i < n; i++) sb.append(i == 0 ? "?" : ", ?");
    return sb.append(')').toString();
  }

  protected static List<Rows.EntryRow> mapRows(Query q) {
    return q.map((rs, ctx) -> Rows.entryRow(rs)).list();
  }

  /** Runs a batch and returns the positions (in {@code keys} order) whose row count was 1. */
  protected static Set<String> appliedKeys(PreparedBatch batch, List<String> keys) {
    int[] counts = batch.execute();
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < counts.length; i++) if (counts[i] > 0) out.add(keys.get(i));
    return out;
  }

  /** Whether {@code e} is a unique-key violation (SQLState class 23). */
  protected static boolean isDuplicateKey(RuntimeException e) {
    Throwable c = e;
    while (c != null) {
      if (c instanceof SQLException) {
        String state = ((SQLException) c).getSQLState();
        if (state != null && state.startsWith("23")) return true;
      }
      c = c.getCause();
    }
    return false;
  }
}
