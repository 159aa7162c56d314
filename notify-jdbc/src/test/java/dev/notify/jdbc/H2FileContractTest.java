package dev.notify.jdbc;

import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.NotificationStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 file database. */
class H2FileContractTest extends NotificationStoreContract {
  private final JdbcContractSupport support = new JdbcContractSupport(() -> TestDatabase.h2File(this.dir), false);

  @TempDir Path dir;

  @Override protected NotificationStore createStore() {
    return support.create();
  }

  @Override protected void dropStore(NotificationStore s) {
    support.drop(s);
  }
}
