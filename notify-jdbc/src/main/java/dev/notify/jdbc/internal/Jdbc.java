package dev.notify.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Plain JDBC for the hot statements (enqueue, claim, complete, logs): typed setters on a
 * {@link PreparedStatement}, without Jdbi's per-statement argument resolution.
 */
public final class Jdbc {
  private Jdbc() {}

  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /**
   * A failed statement. Its message is the driver's, plus the statement text shortened (never bound
   * values, which may be phone numbers); {@link dev.notify.jdbc.JdbcStore} turns it into a StoreException.
   */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Failure(SQLException cause) { super(cause.getMessage(), cause); }
  }

  static void setString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) ps.setNull(i, Types.VARCHAR);
    else ps.setString(i, v);
  }
}
