package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcStoreBehaviour} on an H2 file database. */
class H2FileStoreTest extends JdbcStoreBehaviour {
  @TempDir Path dir;

  @Override TestDatabase openDatabase() {
    return TestDatabase.h2File(dir);
  }

  /** Each commit appends a chunk to the file; close() compacts what a burst of commits left behind. */
  @Test
  void close_compactsTheFileThatABurstOfCommitsGrew() throws Exception {
    Path db = dir.resolve("burst");
    Path file = dir.resolve("burst.mv.db");
    JdbcStore store = JdbcStore.h2File(db);
    store.start();
    for (int i = 0; i < 3_000; i++) store.enqueue(List.of(newEntry(entry("e" + i))), T0, null);
    long grown = Files.size(file);

    store.close();

    assertThat(Files.size(file)).as("after close, was %,d bytes", grown).isLessThan(grown / 4);
    try (JdbcStore reopened = JdbcStore.h2File(db)) {
      reopened.start();
      assertThat(reopened.queueDepth(T0)).isEqualTo(3_000);
    }
  }

  /** The store's statements stay parsed on its connections: H2's per-session statement cache holds 64, not 8. */
  @Test
  void statementCacheHoldsMoreThanTheDispatcherUses() throws Exception {
    Path db = dir.resolve("cache");
    try (JdbcStore store = JdbcStore.h2File(db)) {
      store.start();
      // a second connection in this JVM shares the open database and so its settings
      try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "sa", "");
           ResultSet rs = c.createStatement().executeQuery(
               "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("64");
      }
    }
  }
}
