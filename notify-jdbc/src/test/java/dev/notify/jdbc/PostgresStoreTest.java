package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link JdbcStoreBehaviour} on PostgreSQL (NOTIFY_TEST_POSTGRES_URL; skipped without it). */
class PostgresStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }

  @Test
  void claim_isOneStatement_updateOfTheSkipLockedSelectionReturningTheRows() {
    String q = db.table("queue");

    assertThat(db.store().claimStatements()).containsExactly("UPDATE " + q + " SET state = 'PROCESSING', lease_owner = ?,"
        + " lease_expiry = ? WHERE id IN (SELECT id FROM " + q + " WHERE ((state = 'PENDING' AND scheduled_at <= ?)"
        + " OR (state = 'PROCESSING' AND lease_expiry < ?)) AND (campaign_id IS NULL OR campaign_id NOT IN"
        + " (SELECT id FROM " + db.table("campaigns") + " WHERE state = 'PAUSED')) ORDER BY priority DESC, scheduled_at, id"
        + " LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING *");
  }
}
