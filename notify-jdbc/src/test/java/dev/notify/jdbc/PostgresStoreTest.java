package dev.notify.jdbc;

/** {@link JdbcStoreBehaviour} on PostgreSQL (NOTIFY_TEST_POSTGRES_URL; skipped without it). */
class PostgresStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }
}
