package dev.notify.jdbc;

/** {@link JdbcStoreBehaviour} on an in-memory H2 database. */
class H2MemStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.h2Mem();
  }
}
