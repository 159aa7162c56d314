package dev.notify.jdbc;

import dev.notify.core.campaign.CampaignContract;
import dev.notify.core.spi.NotificationStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The campaign behaviour on an H2 file database; a "restart" opens a new store on the same file. */
class H2FileCampaignTest extends CampaignContract {
  @TempDir Path dir;
  private TestDatabase database;

  @Override protected NotificationStore openStore() {
    if (database == null) database = TestDatabase.h2File(dir);
    return database.store();
  }

  @Override protected void dropStore() {
    try {
      if (database != null) database.close();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not close the test database", e);
    }
  }
}
