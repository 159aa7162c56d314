package dev.notify.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;

/**
 * A host's pool configured with auto-commit off (HikariCP {@code autoCommit=false}, many Spring set-ups): every
 * connection it hands out is in manual-commit mode. It records each connection given back in another mode, since
 * the pool's next borrower expects its own default.
 */
final class AutoCommitOffDataSource {
  private AutoCommitOffDataSource() {}

  /** Wraps {@code pool}; {@code givenBackWithAutoCommitOn} collects the connections closed with auto-commit on. */
  static DataSource wrap(DataSource pool, List<String> givenBackWithAutoCommitOn) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(method, pool, args);
          if (!method.getName().equals("getConnection")) return result;
          Connection physical = (Connection) result;
          physical.setAutoCommit(false);
          return borrowed(physical, givenBackWithAutoCommitOn);
        });
  }

  private static Connection borrowed(Connection physical, List<String> givenBackWithAutoCommitOn) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close") && !physical.isClosed() && physical.getAutoCommit()) {
            synchronized (givenBackWithAutoCommitOn) {
              givenBackWithAutoCommitOn.add(physical.toString());
            }
          }
          return invoke(method, physical, args);
        });
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
