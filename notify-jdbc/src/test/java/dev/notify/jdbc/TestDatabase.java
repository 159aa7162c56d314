package dev.notify.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.mariadb.jdbc.MariaDbPoolDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * One isolated notify schema for a test: a fresh in-memory or file H2 database, or a unique table prefix
 * ({@code notify_t<random>_}) on the shared PostgreSQL or MariaDB server, whose tables are dropped on close.
 * Every {@link #store()} is another node: its own JdbcStore and connection pool on the same tables.
 */
final class TestDatabase implements AutoCloseable {
  static final String POSTGRES_ENV = "NOTIFY_TEST_POSTGRES_URL";
  static final String MARIADB_ENV = "NOTIFY_TEST_MARIADB_URL";

  enum Kind { H2_MEM, H2_FILE, POSTGRES, MARIADB }

  final Kind kind;
  final String prefix;
  private final String url;
  private final Path file;
  private final List<JdbcStore> stores = new ArrayList<>();
  private final List<Runnable> closeables = new ArrayList<>();

  private TestDatabase(Kind kind, String url, Path file, String prefix) {
    this.kind = kind;
    this.url = url;
    this.file = file;
    this.prefix = prefix;
  }

  static TestDatabase h2Mem() {
    return new TestDatabase(Kind.H2_MEM, "h2mem-" + UUID.randomUUID(), null, JdbcStore.DEFAULT_TABLE_PREFIX);
  }

  static TestDatabase h2File(Path dir) {
    return new TestDatabase(Kind.H2_FILE, null, dir.resolve("notify-" + UUID.randomUUID()), JdbcStore.DEFAULT_TABLE_PREFIX);
  }

  /** PostgreSQL from {@value #POSTGRES_ENV}; skips the test when it is not set. */
  static TestDatabase postgres() {
    assumePostgres();
    return new TestDatabase(Kind.POSTGRES, System.getenv(POSTGRES_ENV), null, randomPrefix());
  }

  /** Skips the calling test unless {@value #POSTGRES_ENV} is set. */
  static void assumePostgres() {
    String url = System.getenv(POSTGRES_ENV);
    assumeTrue(url != null && !url.isBlank(),
        "set " + POSTGRES_ENV + "=jdbc:postgresql://host:5432/db?user=...&password=... to run");
  }

  /** MariaDB (or MySQL 8) from {@value #MARIADB_ENV}; skips the test when it is not set. */
  static TestDatabase mariadb() {
    String url = System.getenv(MARIADB_ENV);
    assumeTrue(url != null && !url.isBlank(),
        "set " + MARIADB_ENV + "=jdbc:mariadb://host:3306/db?user=...&password=... to run");
    return new TestDatabase(Kind.MARIADB, url, null, randomPrefix());
  }

  static String randomPrefix() {
    return "notify_t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT) + "_";
  }

  /** A started store: another node on this database, through the public factory for H2. */
  JdbcStore store() {
    JdbcStore s;
    switch (kind) {
      case H2_MEM: s = JdbcStore.h2InMemory(url); break;
      case H2_FILE: s = JdbcStore.h2File(file); break;
      default: s = JdbcStore.builder(newPool()).tablePrefix(prefix).build(); break;
    }
    return started(s);
  }

  /** A store (not started) built with extra settings on a new pool; H2 gets its dialect set. */
  JdbcStore custom(UnaryOperator<JdbcStore.Builder> settings) {
    return custom(newPool(), settings);
  }

  /** A store (not started) on {@code dataSource}, a pool of this database, built with extra settings. */
  JdbcStore custom(DataSource dataSource, UnaryOperator<JdbcStore.Builder> settings) {
    JdbcStore.Builder b = JdbcStore.builder(dataSource);
    if (kind == Kind.H2_MEM || kind == Kind.H2_FILE) b.dialect(JdbcDialect.H2);
    else b.tablePrefix(prefix);
    JdbcStore s = settings.apply(b).build();
    synchronized (stores) {
      stores.add(s);
    }
    return s;
  }

  private JdbcStore started(JdbcStore s) {
    synchronized (stores) {
      stores.add(s);
    }
    s.start();
    return s;
  }

  /** A new pool of up to 10 connections to this database. */
  DataSource newPool() {
    if (kind == Kind.MARIADB) {
      try {
        MariaDbPoolDataSource pool = new MariaDbPoolDataSource(url + (url.contains("?") ? "&" : "?") + "maxPoolSize=10");
        synchronized (closeables) {
          closeables.add(pool::close);
        }
        return pool;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    JdbcConnectionPool pool = JdbcConnectionPool.create(physical());
    pool.setMaxConnections(10);
    synchronized (closeables) {
      closeables.add(pool::dispose);
    }
    return pool;
  }

  private ConnectionPoolDataSource physical() {
    switch (kind) {
      case POSTGRES: {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(url);
        return ds;
      }
      case H2_MEM: {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + url + ";LOCK_TIMEOUT=10000");
        ds.setUser("sa");
        return ds;
      }
      default: {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000");
        ds.setUser("sa");
        return ds;
      }
    }
  }

  /** A plain, unpooled connection (auto-commit on) for tampering with rows and host transactions; caller closes it. */
  Connection connection() throws SQLException {
    switch (kind) {
      case POSTGRES: case MARIADB: return DriverManager.getConnection(url);
      case H2_MEM: return DriverManager.getConnection("jdbc:h2:mem:" + url + ";LOCK_TIMEOUT=10000", "sa", "");
      default: return DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000", "sa", "");
    }
  }

  String table(String name) {
    return prefix + name;
  }

  int update(String sql) throws SQLException {
    try (Connection c = connection(); Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  long count(String sql) throws SQLException {
    try (Connection c = connection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Closes the stores made so far and empties every table but the schema version (faster than new tables). */
  void reset() throws SQLException {
    synchronized (stores) {
      stores.forEach(JdbcStore::close);
      stores.clear();
    }
    synchronized (closeables) {
      closeables.forEach(Runnable::run);
      closeables.clear();
    }
    try (Connection c = connection(); Statement s = c.createStatement()) {
      for (String t : new dev.notify.jdbc.internal.Tables(prefix).all()) {
        if (!t.endsWith("schema_version")) s.execute("DELETE FROM " + t);
      }
    }
  }

  /** Closes every store and pool; drops this prefix's tables on a server database. */
  @Override public void close() throws SQLException {
    try {
      if (kind == Kind.POSTGRES || kind == Kind.MARIADB) {
        try (Connection c = connection(); Statement s = c.createStatement()) {
          for (String t : new dev.notify.jdbc.internal.Tables(prefix).all()) {
            s.execute("DROP TABLE IF EXISTS " + t + (kind == Kind.POSTGRES ? " CASCADE" : ""));
          }
        }
      }
    } finally {
      synchronized (stores) {
        stores.forEach(JdbcStore::close);
      }
      synchronized (closeables) {
        closeables.forEach(Runnable::run);
        closeables.clear();
      }
    }
  }
}
