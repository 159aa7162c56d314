package dev.notify.jdbc;

/** {@link JdbcStoreBehaviour} on MariaDB (NOTIFY_TEST_MARIADB_URL; skipped without it). */
class MariaDbStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.mariadb();
  }
}
