package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class H2PoolTest {
  private final String url = "jdbc:h2:mem:pool" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
  private final H2Pool pool = new H2Pool(url, 1, false);

  @AfterEach void dispose() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
    pool.dispose();
  }

  @Test
  void connectionReturnedInsideATransaction_isRolledBackAndLentAgainInAutoCommitMode() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v INT)");
    }
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("INSERT INTO t VALUES (1)");
    }

    try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      assertThat(c.getAutoCommit()).isTrue();
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void closedConnection_refusesWorkButThePhysicalOneIsLentAgain() throws SQLException {
    Connection first = pool.getConnection();
    first.close();

    assertThat(first.isClosed()).isTrue();
    assertThatThrownBy(first::createStatement).isInstanceOf(SQLException.class).hasMessage("connection is closed");
    try (Connection again = pool.getConnection()) {
      assertThat(again.isClosed()).isFalse();
    }
  }
}
