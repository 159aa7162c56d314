package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.QueueEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JdbcStoreBehaviour} on PostgreSQL (NOTIFY_TEST_POSTGRES_URL; skipped without it). */
class PostgresStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }

  /**
   * A batch of the finished-entry cleanup finds its rows through the primary key. With the ids in an IN subquery
   * the planner hash-joined a sequential scan of the whole queue, for every batch.
   */
  @Test
  void finishedEntryCleanup_deletesThroughThePrimaryKey_withoutScanningTheQueue() throws Exception {
    JdbcStore store = db.store();
    for (int i = 0; i < 4; i++) store.enqueue(newEntries("done" + i + "-", 0, 5_000), T0, null);
    db.update("UPDATE " + db.table("queue") + " SET state = 'SENT'");
    db.update("ANALYZE " + db.table("queue"));
    dev.notify.jdbc.internal.Tables tables = new dev.notify.jdbc.internal.Tables(db.prefix);
    String sql = dev.notify.jdbc.internal.QueueRepository.deleteFinishedSql(
        dev.notify.jdbc.internal.SqlDialect.of("postgres", tables), tables, 10_000).replace(":cutoff", "9223372036854775807");

    StringBuilder plan = new StringBuilder();
    try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
      while (rs.next()) plan.append(rs.getString(1)).append('\n');
    }

    assertThat(plan.toString()).contains(db.table("queue") + "_pkey").doesNotContain("Seq Scan");
  }

  @Test
  void claim_isOneCallOfTheSchemasClaimFunction() {
    assertThat(db.store().claimStatements()).containsExactly("SELECT * FROM " + db.table("claim") + "(?, ?, ?, ?)");
  }

  /**
   * A new queue table has no statistics, so the planner guesses that few rows are PENDING; a plain query then
   * reads every PENDING row with a bitmap scan and sorts them on each claim. The claim function's settings
   * keep it on the claim index, read in order up to the limit (the plan is read through auto_explain).
   */
  @Test
  void claim_readsTheClaimIndexInOrder_evenWhenTheTableHasNoStatistics() throws Exception {
    JdbcStore store = db.store();
    for (int i = 0; i < 3; i++) store.enqueue(newEntries("e" + i + "-", 0, 1000), T0, null);

    StringBuilder plans = new StringBuilder();
    int claimed = claimWithPlans(50, plans);

    assertThat(claimed).isEqualTo(50);
    assertThat(plans.toString())
        .contains("Index Scan using " + db.table("queue_claim_idx"))
        .doesNotContain("Bitmap Heap Scan on " + db.table("queue"))
        .doesNotContain("Seq Scan on " + db.table("queue"));
    List<QueueEntry> rest = store.claimDue(T0, 5000, "node-b", T0.plus(LEASE));
    assertThat(rest).hasSize(2950);
  }

  /**
   * Deferred entries of a higher priority lie in the claim index between its due entries and the next priority's:
   * the claim reads one priority at a time, as a range bounded by the priority and by now.
   */
  @Test
  void claim_readsEachPriorityAsARangeEndingAtNow() throws Exception {
    JdbcStore store = db.store();
    enqueueDeferredAboveDue(store);

    StringBuilder plans = new StringBuilder();
    int claimed = claimWithPlans(50, plans);

    assertThat(claimed).isEqualTo(10);
    assertThat(plans.toString()).contains("Index Cond: ((priority = 5) AND (scheduled_at <= ")
        .contains("Index Cond: ((priority = 1) AND (scheduled_at <= ");
  }

  /** Calls the claim function at T0 for up to {@code limit} entries; the plans of its statements go to {@code plans}. */
  private int claimWithPlans(int limit, StringBuilder plans) throws SQLException {
    try (Connection c = db.connection()) {
      try (Statement s = c.createStatement()) {
        s.execute("LOAD 'auto_explain'");
        s.execute("SET auto_explain.log_min_duration = 0");
        s.execute("SET auto_explain.log_nested_statements = on");
        s.execute("SET auto_explain.log_level = 'notice'");
      }
      int claimed = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + db.table("claim") + "(?, ?, ?, ?)")) {
        ps.setLong(1, T0.toEpochMilli() * 1000);
        ps.setInt(2, limit);
        ps.setString(3, "node-a");
        ps.setLong(4, T0.plus(LEASE).toEpochMilli() * 1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) claimed++;
        }
        for (SQLWarning w = ps.getWarnings(); w != null; w = w.getNextWarning()) plans.append(w.getMessage()).append('\n');
      }
      return claimed;
    }
  }
}
