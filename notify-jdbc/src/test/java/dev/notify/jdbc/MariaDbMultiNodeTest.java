package dev.notify.jdbc;

/** {@link MultiNodeDrain} on MariaDB (NOTIFY_TEST_MARIADB_URL; skipped without it). */
class MariaDbMultiNodeTest extends MultiNodeDrain {
  @Override TestDatabase openDatabase() {
    return TestDatabase.mariadb();
  }
}
