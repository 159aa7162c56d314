package dev.notify.jdbc;

import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.NotificationStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The store contract on MariaDB (NOTIFY_TEST_MARIADB_URL; skipped without it). */
class MariaDbContractTest extends NotificationStoreContract {
  private static final JdbcContractSupport SUPPORT = new JdbcContractSupport(TestDatabase::mariadb, true);

  @Override protected NotificationStore createStore() {
    return SUPPORT.create();
  }

  @Override protected void dropStore(NotificationStore s) {
    SUPPORT.drop(s);
  }

  @AfterAll
  static void dropTables() throws Exception {
    SUPPORT.closeAll();
  }
}
