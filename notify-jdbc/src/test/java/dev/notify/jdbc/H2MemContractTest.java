package dev.notify.jdbc;

import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.NotificationStoreContract;

/** The store contract on an in-memory H2 database. */
class H2MemContractTest extends NotificationStoreContract {
  private final JdbcContractSupport support = new JdbcContractSupport(TestDatabase::h2Mem, false);

  @Override protected NotificationStore createStore() {
    return support.create();
  }

  @Override protected void dropStore(NotificationStore s) {
    support.drop(s);
  }
}
