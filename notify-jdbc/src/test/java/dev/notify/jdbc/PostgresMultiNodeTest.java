package dev.notify.jdbc;

/** {@link MultiNodeDrain} on PostgreSQL (NOTIFY_TEST_POSTGRES_URL; skipped without it). */
class PostgresMultiNodeTest extends MultiNodeDrain {
  @Override TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }
}
