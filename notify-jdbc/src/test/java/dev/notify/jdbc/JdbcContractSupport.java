package dev.notify.jdbc;

import dev.notify.core.spi.NotificationStore;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Contract tests on a server database share one table prefix per test class (created once, emptied after
 * each test, dropped at the end); H2 tests get a fresh database per test.
 */
final class JdbcContractSupport {
  private final Supplier<TestDatabase> factory;
  private final boolean shared;
  private TestDatabase database;

  JdbcContractSupport(Supplier<TestDatabase> factory, boolean shared) {
    this.factory = factory;
    this.shared = shared;
  }

  synchronized NotificationStore create() {
    if (database == null) database = factory.get();
    return database.store();
  }

  synchronized void drop(NotificationStore store) {
    try {
      store.close();
      if (shared) {
        database.reset();
      } else {
        database.close();
        database = null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not clean up the test tables", e);
    }
  }

  synchronized void closeAll() throws SQLException {
    if (database != null) database.close();
    database = null;
  }
}
