package dev.notify.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's own connections, always in auto-commit mode whatever the pool hands out. The store commits each
 * write itself (one statement in auto-commit mode, or a transaction it begins and ends); on connections in
 * manual-commit mode (a pool with HikariCP's {@code autoCommit=false}, as many Spring set-ups have) the Jdbi writes
 * were never committed, and the pool rolled them back when they were given back. A connection that came in
 * manual-commit mode is given back in it, with no transaction open.
 */
final class AutoCommitConnections implements ConnectionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(AutoCommitConnections.class);

  private final DataSource dataSource;
  /** The connections open now that came in manual-commit mode. */
  private final Set<Connection> switched =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  AutoCommitConnections(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A connection of the data source in auto-commit mode; give it back with {@link #closeConnection(Connection)}. */
  @Override public Connection openConnection() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
        switched.add(c);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException close) {
        e.addSuppressed(close);
      }
      throw e;
    }
  }

  /**
   * Gives {@code c} back, in manual-commit mode again if it came so. Its work is committed by then: a connection
   * that cannot be switched back is closed all the same, and the failure only logged.
   */
  @Override public void closeConnection(Connection c) throws SQLException {
    try {
      if (switched.remove(c)) c.setAutoCommit(false);
    } catch (SQLException e) {
      LOG.warn("could not set a store connection back to manual-commit mode before giving it back to the pool: {}",
          e.toString());
    } finally {
      c.close();
    }
  }
}
