package dev.notify.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcStoreBehaviour} on an H2 file database. */
class H2FileStoreTest extends JdbcStoreBehaviour {
  @TempDir Path dir;

  @Override TestDatabase openDatabase() {
    return TestDatabase.h2File(dir);
  }
}
