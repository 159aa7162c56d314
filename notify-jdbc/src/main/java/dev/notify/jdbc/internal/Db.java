package dev.notify.jdbc.internal;

import dev.notify.core.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store's Jdbi, dialect and table names; also runs work on a host's connection. */
public final class Db {
  private static final Logger LOG = LoggerFactory.getLogger(Db.class);
  /** Runs of one store transaction when the database keeps picking it as a deadlock victim. */
  static final int ROLLED_BACK_ATTEMPTS = 3;

  public final Jdbi jdbi;
  public final SqlDialect dialect;
  public final Tables t;
  private final DataSource dataSource;
  private final AutoCommitConnections connections;

  public Db(DataSource dataSource, SqlDialect dialect, Tables tables) {
    this.dataSource = dataSource;
    this.connections = new AutoCommitConnections(dataSource);
    this.jdbi = configure(Jdbi.create(connections));
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

  /** Rows deleted per statement by {@link #deleteOldestInBatches}. */
  public static final int DELETE_BATCH = 10_000;

  /** Runs {@code work} in a transaction of the store's own. */
  public <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
    return jdbi.inTransaction(h -> {
      dialect.beginTransaction(h);
      return work.withHandle(h);
    });
  }

  /**
   * Deletes the rows of {@code table} matching {@code where} (with a named {@code :cutoff}) that come first in
   * {@code index} order ({@code created_at, id}), at most {@value #DELETE_BATCH} per statement, each in a
   * transaction of its own (READ COMMITTED on MariaDB, so it locks no gaps), until a statement deletes fewer.
   *
   * @return rows deleted
   */
  public int deleteOldestInBatches(String table, String index, String where, long cutoff) {
    String sql = deleteOldestSql(dialect, table, index, where, DELETE_BATCH);
    int total = 0;
    int n;
    do {
      n = inTransaction(h -> h.createUpdate(sql).bind("cutoff", cutoff).execute());
      total += n;
    } while (n == DELETE_BATCH);
    return total;
  }

  /** The statement of {@link #deleteOldestInBatches} for a batch of {@code limit} rows. */
  public static String deleteOldestSql(SqlDialect dialect, String table, String index, String where, int limit) {
    return dialect.limitedDelete(table, index, where, "created_at, id", limit);
  }

  /**
   * Runs plain-JDBC {@code work} on a connection of the store's own, or on the host's ({@code transaction}: a
   * {@link Connection} or a Jdbi {@link Handle}; its transaction is never committed here). With
   * {@code atomic}, work on a connection in auto-commit mode runs in a transaction of its own (the dialect's
   * {@link SqlDialect#beginTransaction(Connection)} first); without, the work must be one statement, which
   * auto-commit makes atomic. The store's own connections are always in auto-commit mode
   * ({@link AutoCommitConnections}). Work in the host's transaction always runs within a savepoint.
   *
   * @throws Jdbc.Failure when a statement fails (the transaction of the store's own is rolled back)
   */
  public <T> T run(Object transaction, boolean atomic, Jdbc.Work<T> work) {
    try {
      if (transaction != null) {
        Connection c = hostConnection(transaction);
        if (!c.getAutoCommit()) return inSavepoint(c, work);
        T result = runOwn(c, atomic, work);
        // committed on the host's connection, which never comes back to the pool: on an H2 file, wait until the
        // commit is in the file, as a pool connection does when it is returned
        if (dataSource instanceof H2Pool) ((H2Pool) dataSource).awaitDurable(c);
        return result;
      }
      Connection c = connections.openConnection();
      T result;
      try {
        result = runOwn(c, atomic, work);
      } catch (SQLException | RuntimeException | Error e) {
        try {
          connections.closeConnection(c);
        } catch (SQLException close) {
          e.addSuppressed(close);
        }
        throw e;
      }
      connections.closeConnection(c);
      return result;
    } catch (SQLException e) {
      throw new Jdbc.Failure(e);
    }
  }

  /**
   * Runs work inside the host's transaction so that it is all or none there too: if a statement fails, what the
   * work wrote is rolled back to a savepoint, and the host's transaction stays usable, so the host may still commit
   * its own work (on PostgreSQL a failed statement would otherwise doom the host's whole transaction, which a
   * later commit silently rolls back). Except when the database rolled back the host's whole transaction (a
   * deadlock victim on H2, MariaDB or MySQL): nothing of the host's work is left to commit, and a commit would
   * report success, so that is a {@link StoreException} saying so.
   */
  private <T> T inSavepoint(Connection c, Jdbc.Work<T> work) throws SQLException {
    java.sql.Savepoint savepoint = c.setSavepoint();
    T result;
    try {
      result = work.apply(c);
    } catch (SQLException | RuntimeException | Error e) {
      if (!(e instanceof Error) && dialect.rolledBackWholeTransaction(c, e)) {
        throw new StoreException("the database rolled back the caller's whole transaction (" + e.getMessage() + "):"
            + " nothing written in it before this call is left; roll the transaction back and retry it, do not commit"
            + " it", e);
      }
      try {
        c.rollback(savepoint);
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
    c.releaseSavepoint(savepoint);
    return result;
  }

  /**
   * On a connection whose transactions are ours to end. A transaction the database rolled back to break a deadlock
   * (SQLState 40001, or 40P01 on PostgreSQL: InnoDB picks such victims even at READ COMMITTED when a claim and a
   * complete lock the same rows through different indexes) is run again, up to {@link #ROLLED_BACK_ATTEMPTS} times
   * in all: the database undid all of it, and the work only reads its arguments.
   */
  private <T> T runOwn(Connection c, boolean atomic, Jdbc.Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return runOwnOnce(c, atomic, work);
      } catch (SQLException | Jdbc.Failure e) {
        if (attempt >= ROLLED_BACK_ATTEMPTS || !rolledBackByDatabase(e)) throw e;
        LOG.debug("store transaction chosen as a deadlock victim (attempt {} of {}); running it again: {}", attempt,
            ROLLED_BACK_ATTEMPTS, e.toString());
      }
    }
  }

  /** Whether {@code e} (or an exception it chains) says the database rolled the transaction back to break a deadlock. */
  static boolean rolledBackByDatabase(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth++ < 10; t = t.getCause()) {
      if (!(t instanceof SQLException)) continue;
      SQLException s = (SQLException) t;
      // a batch reports the statement's own failure as the next exception
      for (SQLException x : new SQLException[] {s, s.getNextException()}) {
        if (x != null && ("40001".equals(x.getSQLState()) || "40P01".equals(x.getSQLState()))) return true;
      }
    }
    return false;
  }

  private <T> T runOwnOnce(Connection c, boolean atomic, Jdbc.Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    if (autoCommit && !atomic) return work.apply(c);
    if (autoCommit) c.setAutoCommit(false);
    try {
      dialect.beginTransaction(c);
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      if (autoCommit) c.setAutoCommit(true);
    }
  }

  static Connection hostConnection(Object transaction) {
    if (transaction instanceof Handle) return ((Handle) transaction).getConnection();
    if (transaction instanceof Connection) return (Connection) transaction;
    throw new IllegalArgumentException("transaction must be a java.sql.Connection or an org.jdbi.v3.core.Handle, got "
        + transaction.getClass().getName());
  }
}
