package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.QueueEntry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

/** {@link JdbcStoreBehaviour} on PostgreSQL (NOTIFY_TEST_POSTGRES_URL; skipped without it). */
class PostgresStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }

  @Test
  void claim_isOneStatement_updateOfTwoSkipLockedSelectionsReturningTheRows_committedWithoutWaitingForTheFlush() {
    String q = db.table("queue");
    String notPaused = "(campaign_id IS NULL OR campaign_id NOT IN (SELECT id FROM " + db.table("campaigns") + " WHERE state = 'PAUSED'))";
    String order = " ORDER BY priority DESC, scheduled_at, id";

    assertThat(db.store().claimStatements()).containsExactly("WITH async AS (SELECT set_config('synchronous_commit', 'off', true)),"
        + " pending AS (SELECT id, priority, scheduled_at FROM " + q
        + " WHERE state = 'PENDING' AND scheduled_at <= ? AND " + notPaused + order + " LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " expired AS (SELECT id, priority, scheduled_at FROM " + q
        + " WHERE state = 'PROCESSING' AND lease_expiry < ? AND " + notPaused + order + " LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " chosen AS (SELECT id FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) c" + order + " LIMIT ?)"
        + " UPDATE " + q + " SET state = 'PROCESSING', lease_owner = ?, lease_expiry = ?"
        + " WHERE EXISTS (SELECT 1 FROM async) AND id IN (SELECT id FROM chosen) RETURNING *");
  }

  @Test
  void claim_leavesSynchronousCommitOnForTheNextUserOfThePooledConnection() throws Exception {
    JdbcConnectionPool pool = (JdbcConnectionPool) db.newPool();
    pool.setMaxConnections(1);
    JdbcStore store = JdbcStore.builder(pool).tablePrefix(db.prefix).build();
    store.start();
    store.enqueue(List.of(newEntry(entry("e1"))), T0, null);

    assertThat(store.claimDue(T0, 10, "node-a", T0.plus(LEASE))).extracting(QueueEntry::id).containsExactly("e1");

    try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("on");
    }
  }
}
