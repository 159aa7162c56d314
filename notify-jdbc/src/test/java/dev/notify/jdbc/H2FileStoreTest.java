package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
}
