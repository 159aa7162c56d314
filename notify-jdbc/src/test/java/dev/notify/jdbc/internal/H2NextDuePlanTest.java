package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The per-priority reads behind H2's nextDue and claim read only the index rows they need, however many PENDING
 * rows the priority above has or the same priority holds for later (EXPLAIN ANALYZE reports the rows read as
 * scanCount).
 */
class H2NextDuePlanTest {
  private static final Tables TABLES = new Tables("notify_");

  @Test
  void lookupBelowAPriority_startsAtTheNextPriority_insteadOfReadingTheRowsAbove() throws Exception {
    // 2,000 PENDING rows, half at priority 6 and half at 5; the lookup below priority 6
    String plan = explain("nextdueplan", "1000 + x", "MOD(x, 2) + 5", 2_000, new H2Dialect(TABLES).firstPendingSql(true), 5);

    assertThat(plan).contains("queue_claim_idx".toUpperCase()).contains("scanCount: 1 */");
  }

  /**
   * A claim reads one priority's due rows as a range of the claim index that ends at now: the 1,000 entries of
   * that priority scheduled later are not read (read as one range over all priorities, the claim went through
   * them: scanCount 1,011).
   */
  @Test
  void claimOfOnePriority_readsItsDueRows_notItsDeferredOnes() throws Exception {
    // 1,010 PENDING rows of priority 5 scheduled at 1..1,010; due at 10: the first 10
    String plan = explain("claimplan", "x", "5", 1_010, new H2Dialect(TABLES).pendingSql(), 5, 10L, 50);

    assertThat(plan).contains("queue_claim_idx".toUpperCase());
    assertThat(scanCount(plan, "NOTIFY_QUEUE_CLAIM_IDX")).as(plan).isLessThanOrEqualTo(11);
  }

  /**
   * The claim's UPDATE takes its ids as one array parameter (one statement text for every batch size, so H2 keeps
   * it parsed) and reads them through the primary key, not by scanning the queue.
   */
  @Test
  void claimUpdate_readsItsIdsThroughThePrimaryKey() throws Exception {
    String plan = explain("claimupdateplan", "x", "5", 2_000, new H2Dialect(TABLES).claimUpdateSql(),
        "node-a", 5_000L, 10L, new String[] {"e3", "e7", "e1500"}, 10L, 10L);

    assertThat(plan).as(plan).containsPattern("PRIMARY_KEY_\\w*: ID IN\\(");
    assertThat(scanCount(plan, "PRIMARY_KEY")).as(plan).isLessThanOrEqualTo(4);
  }

  /**
   * The cleanup of finished entries reads the oldest through queue_created_idx and stops at its batch, also when
   * most rows qualify (the first run after an upgrade); without the index hint H2 read every row of no campaign
   * through the campaign index and sorted them (scanCount 1,801 here).
   */
  @Test
  void finishedEntryCleanup_readsTheOldestThroughTheCreatedIndex() throws Exception {
    // 2,000 SENT rows created at x = 1..2,000, every tenth of a campaign; the cutoff 1,900 covers 1,710 deletable
    String sql = QueueRepository.deleteFinishedSql(new H2Dialect(TABLES), TABLES, 10).replace(":cutoff", "1900");
    String plan = explainAfter("cleanupplan", "INSERT INTO notify_queue (id, campaign_id, phone, template_key, context,"
        + " scheduled_at, priority, state, delivery_status, attempts, max_retries, respect_blacklist, created_at,"
        + " updated_at) SELECT 'e' || x, CASE WHEN MOD(x, 10) = 0 THEN 'c1' END, '+6281200000000', 't', '{}', x, 5,"
        + " 'SENT', 'NONE', 1, 3, TRUE, x, x FROM SYSTEM_RANGE(1, 2000)", sql);

    assertThat(plan).contains("queue_created_idx".toUpperCase());
    assertThat(scanCount(plan, "NOTIFY_QUEUE_CREATED_IDX")).as(plan).isLessThanOrEqualTo(12);
  }

  /** The EXPLAIN ANALYZE plan of {@code sql} on a new database of {@code rows} PENDING rows (x = 1..rows). */
  private static String explain(String name, String scheduledAt, String priority, int rows, String sql, Object... params)
      throws Exception {
    return explainAfter(name, "INSERT INTO notify_queue (id, phone, template_key, context, scheduled_at, priority, state,"
        + " delivery_status, attempts, max_retries, respect_blacklist, created_at)"
        + " SELECT 'e' || x, '+6281200000000', 't', '{}', " + scheduledAt + ", " + priority + ", 'PENDING', 'NONE', 0, 3,"
        + " TRUE, 0 FROM SYSTEM_RANGE(1, " + rows + ")", sql, params);
  }

  /** The EXPLAIN ANALYZE plan of {@code sql} on a new database filled by {@code insert}. */
  private static String explainAfter(String name, String insert, String sql, Object... params) throws Exception {
    JdbcStore store = JdbcStore.h2InMemory(name);
    store.start();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + name + ";LOCK_TIMEOUT=10000", "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute(insert);
      }
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + sql)) {
        for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    } finally {
      store.close();
    }
  }

  /** The scanCount H2 reports first after the named index in an EXPLAIN ANALYZE plan. */
  private static int scanCount(String plan, String index) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(index + ".*?scanCount: (\\d+)", java.util.regex.Pattern.DOTALL).matcher(plan);
    if (!m.find()) throw new AssertionError("no scanCount after " + index + " in " + plan);
    return Integer.parseInt(m.group(1));
  }
}
