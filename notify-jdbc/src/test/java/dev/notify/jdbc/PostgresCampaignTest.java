package dev.notify.jdbc;

import dev.notify.core.campaign.CampaignContract;
import dev.notify.core.spi.NotificationStore;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The campaign behaviour on PostgreSQL (NOTIFY_TEST_POSTGRES_URL; skipped without it); a "restart" opens a
 * new store and pool on the same tables. One table prefix per class, emptied after each test.
 */
class PostgresCampaignTest extends CampaignContract {
  private static TestDatabase database;

  // The contract opens the store lazily, sometimes inside assertThatThrownBy: skip before the test body.
  @BeforeEach
  void requirePostgres() {
    TestDatabase.assumePostgres();
  }

  @Override protected NotificationStore openStore() {
    synchronized (PostgresCampaignTest.class) {
      if (database == null) database = TestDatabase.postgres();
      return database.store();
    }
  }

  @Override protected void dropStore() {
    try {
      synchronized (PostgresCampaignTest.class) {
        if (database != null) database.reset();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not empty the test tables", e);
    }
  }

  @AfterAll
  static void dropTables() throws SQLException {
    if (database != null) database.close();
    database = null;
  }
}
