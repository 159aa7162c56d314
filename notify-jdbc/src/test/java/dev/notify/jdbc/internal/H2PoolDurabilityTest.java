package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed process leaves behind: a copy of the database file taken right after a connection came back holds
 * what was committed on it. The write delay is set far beyond the test, so only the pool's checkpoint can have
 * written the commit.
 */
class H2PoolDurabilityTest {
  @TempDir Path dir;

  @Test
  void durablePool_commitIsInTheFileOnceTheConnectionIsReturned() throws Exception {
    assertThat(committedRowsInCopy(true)).isEqualTo(1);
  }

  @Test
  void withoutTheCheckpoint_theCommitIsOnlyInMemory() throws Exception {
    assertThat(committedRowsInCopy(false)).isZero();
  }

  /** A host's connection in auto-commit mode: the store commits on it, and it never comes back to the pool. */
  @Test
  void workOnAHostConnectionInAutoCommitMode_isInTheFileWhenItReturns() throws Exception {
    Path db = dir.resolve("live");
    String url = "jdbc:h2:file:" + db + ";WRITE_DELAY=1000000";
    H2Pool pool = new H2Pool(url, 2, true);
    try {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (v INT)");
        s.execute("CHECKPOINT");
      }
      Db store = new Db(pool, new H2Dialect(new Tables("notify_")), new Tables("notify_"));
      try (Connection host = DriverManager.getConnection(url, "sa", "")) {
        store.run(host, true, c -> {
          try (Statement s = c.createStatement()) {
            return s.executeUpdate("INSERT INTO t VALUES (1)");
          }
        });
        Files.copy(dir.resolve("live.mv.db"), dir.resolve("copy.mv.db"));
      }
    } finally {
      pool.dispose();
    }
    assertThat(rowsInCopy()).isEqualTo(1);
  }

  private int committedRowsInCopy(boolean durable) throws Exception {
    Path db = dir.resolve("live");
    H2Pool pool = new H2Pool("jdbc:h2:file:" + db + ";WRITE_DELAY=1000000", 2, durable);
    try {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (v INT)");
        s.execute("CHECKPOINT"); // the empty table is in the file either way
      }
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute("INSERT INTO t VALUES (1)");
        c.commit();
      }
      Files.copy(dir.resolve("live.mv.db"), dir.resolve("copy.mv.db"));
    } finally {
      pool.dispose();
    }
    return rowsInCopy();
  }

  private int rowsInCopy() {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("copy"), "sa", "");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError("the copy of the file does not open: " + e.getMessage(), e);
    }
  }
}
