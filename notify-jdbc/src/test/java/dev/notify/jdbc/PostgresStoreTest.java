package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link JdbcStoreBehaviour} on PostgreSQL (NOTIFY_TEST_POSTGRES_URL; skipped without it). */
class PostgresStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }

  @Test
  void claim_isOneStatement_updateOfTwoSkipLockedSelectionsReturningTheRows() {
    String q = db.table("queue");
    String notPaused = "(campaign_id IS NULL OR campaign_id NOT IN (SELECT id FROM " + db.table("campaigns") + " WHERE state = 'PAUSED'))";
    String order = " ORDER BY priority DESC, scheduled_at, id";

    assertThat(db.store().claimStatements()).containsExactly("WITH pending AS (SELECT id, priority, scheduled_at FROM " + q
        + " WHERE state = 'PENDING' AND scheduled_at <= ? AND " + notPaused + order + " LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " expired AS (SELECT id, priority, scheduled_at FROM " + q
        + " WHERE state = 'PROCESSING' AND lease_expiry < ? AND " + notPaused + order + " LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " chosen AS (SELECT id FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) c" + order + " LIMIT ?)"
        + " UPDATE " + q + " SET state = 'PROCESSING', lease_owner = ?, lease_expiry = ? WHERE id IN (SELECT id FROM chosen)"
        + " RETURNING *");
  }
}
