package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** {@link JdbcStoreBehaviour} on an in-memory H2 database. */
class H2MemStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.h2Mem();
  }

  /** As on an H2 file: the store's statements stay parsed, H2's per-session statement cache holds 64, not 8. */
  @Test
  void statementCacheHoldsMoreThanTheDispatcherUses() throws Exception {
    try (JdbcStore store = JdbcStore.h2InMemory("statementcache")) {
      store.start();
      try (Connection c = DriverManager.getConnection("jdbc:h2:mem:statementcache", "sa", "");
           ResultSet rs = c.createStatement().executeQuery(
               "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("64");
      }
    }
  }
}
