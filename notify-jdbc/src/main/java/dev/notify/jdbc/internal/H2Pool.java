package dev.notify.jdbc.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;


/**
 * The connection pool of the embedded H2 stores. Unlike H2's JdbcConnectionPool it does not roll back on
 * every borrow and return: a connection is rolled back only if it comes back inside a transaction; it is returned
 * in auto-commit mode. For a file database, a returned connection first waits for a {@link DurableCheckpoint}, so
 * the store call that used it returns only once its commits are in the file.
 */
public final class H2Pool implements DataSource {
  private static final long WAIT_SECONDS = 30;

  private final String url;
  private final Semaphore permits;
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final DurableCheckpoint checkpoint;
  private boolean disposed;

  /**
   * @param durable whether a connection, when returned, first waits until what was committed before is in the
   *     file ({@link DurableCheckpoint}); for file databases opened with a write delay
   */
  public H2Pool(String url, int maxConnections, boolean durable) {
    this.url = url;
    this.permits = new Semaphore(maxConnections, true);
    this.checkpoint = durable ? new DurableCheckpoint() : null;
  }

  @Override public Connection getConnection() throws SQLException {
    try {
      if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new SQLException("no H2 connection free within " + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for an H2 connection", e);
    }
    try {
      Connection c;
      synchronized (idle) {
        if (disposed) throw new SQLException("the H2 connection pool is closed");
        c = idle.pollFirst();
      }
      if (c == null) c = DriverManager.getConnection(url, "sa", "");
      return borrowed(c);
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private Connection borrowed(Connection physical) {
    boolean[] closed = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              if (!closed[0]) {
                closed[0] = true;
                giveBack(physical);
              }
              return null;
            case "isClosed":
              return closed[0] || physical.isClosed();
            case "unwrap":
              if (((Class<?>) args[0]).isInstance(proxy)) return proxy;
              break;
            case "isWrapperFor":
              if (((Class<?>) args[0]).isInstance(proxy)) return true;
              break;
            case "toString":
              return "H2Pool connection " + physical;
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              break;
          }
          if (closed[0]) throw new SQLException("connection is closed");
          try {
            return method.invoke(physical, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private void giveBack(Connection physical) throws SQLException {
    try {
      boolean reusable = !physical.isClosed();
      if (reusable && !physical.getAutoCommit()) {
        physical.rollback();
        physical.setAutoCommit(true);
      }
      if (reusable && checkpoint != null) checkpoint.await(physical);
      synchronized (idle) {
        if (reusable && !disposed) {
          idle.addFirst(physical);
          return;
        }
      }
      physical.close();
    } catch (SQLException e) {
      physical.close();
      throw e;
    } finally {
      permits.release();
    }
  }

  /**
   * For a durable pool, returns once what was committed on {@code c} (a connection to the same database that is not
   * the pool's, such as a host's) is in the file; otherwise at once.
   */
  public void awaitDurable(Connection c) throws SQLException {
    if (checkpoint != null) checkpoint.await(c);
  }

  /** Closes the idle connections; connections still borrowed close when returned. */
  public void dispose() {
    synchronized (idle) {
      disposed = true;
      for (Connection c : idle) {
        try {
          c.close();
        } catch (SQLException e) {
          // closing an embedded session: nothing to recover
        }
      }
      idle.clear();
    }
  }

  @Override public Connection getConnection(String user, String password) throws SQLException { return getConnection(); }

  @Override public PrintWriter getLogWriter() { return null; }

  @Override public void setLogWriter(PrintWriter out) {}

  @Override public void setLoginTimeout(int seconds) {}

  @Override public int getLoginTimeout() { return 0; }

  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }

  @Override public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) return iface.cast(this);
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override public boolean isWrapperFor(Class<?> iface) { return iface.isInstance(this); }
}
