package dev.notify.jdbc;

import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.NotificationStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The store contract on PostgreSQL (NOTIFY_TEST_POSTGRES_URL; skipped without it). */
class PostgresContractTest extends NotificationStoreContract {
  private static final JdbcContractSupport SUPPORT = new JdbcContractSupport(TestDatabase::postgres, true);

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
