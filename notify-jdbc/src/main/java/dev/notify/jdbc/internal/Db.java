package dev.notify.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.statement.TemplateEngine;

/** The store's Jdbi, dialect and table names; also runs work on a host's connection. */
public final class Db {
  public final Jdbi jdbi;
  public final SqlDialect dialect;
  public final Tables t;

  public Db(DataSource dataSource, SqlDialect dialect, Tables tables) {
    this.jdbi = configure(Jdbi.create(dataSource));
    this.dialect = dialect;
    this.t = tables;
  }

  /**
   * SQL is used as written (no template engine), and statement errors never render bound values: they
   * may hold phone numbers.
   */
  static Jdbi configure(Jdbi jdbi) {
    jdbi.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP);
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(Db::render);
    return jdbi;
  }

  private static String render(StatementException e) {
    String sql = e.getStatementContext() == null ? null : e.getStatementContext().getRawSql();
    String shortSql = sql == null ? "" : " [statement: \"" + (sql.length() > 200 ? sql.substring(0, 200) + "..." : sql) + "\"]";
    return e.getShortMessage() + shortSql;
  }

  /** Runs {@code work} in a transaction of the store's own. */
  public <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
    return jdbi.inTransaction(h -> {
      dialect.beginTransaction(h);
      return work.withHandle(h);
    });
  }

  /**
   * Runs {@code work} on the host's connection without committing it, so its rows commit or roll back with
   * the host's transaction. A connection in auto-commit mode gets its own transaction (the work stays atomic).
   *
   * @param transaction a {@link Connection} or a Jdbi {@link Handle}
   * @throws IllegalArgumentException for anything else, naming its class
   */
  public <T> T inHostTransaction(Object transaction, HandleCallback<T, RuntimeException> work) {
    Connection c;
    if (transaction instanceof Handle) c = ((Handle) transaction).getConnection();
    else if (transaction instanceof Connection) c = (Connection) transaction;
    else {
      throw new IllegalArgumentException("transaction must be a java.sql.Connection or an org.jdbi.v3.core.Handle, got "
          + transaction.getClass().getName());
    }
    Jdbi borrowed = configure(Jdbi.create(new ConnectionFactory() {
      @Override public Connection openConnection() { return c; }

      @Override public void closeConnection(Connection conn) { /* the host owns it */ }
    }));
    borrowed.getConfig(Handles.class).setForceEndTransactions(false);
    boolean autoCommit;
    try {
      autoCommit = c.getAutoCommit();
    } catch (SQLException e) {
      throw new dev.notify.core.StoreException("cannot use the host's connection: " + e.getMessage(), e);
    }
    try (Handle h = borrowed.open()) {
      if (!autoCommit) return work.withHandle(h);
      return h.inTransaction(tx -> {
        dialect.beginTransaction(tx);
        return work.withHandle(tx);
      });
    }
  }
}
