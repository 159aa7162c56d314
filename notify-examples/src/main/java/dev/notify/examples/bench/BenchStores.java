package dev.notify.examples.bench;

import dev.notify.core.InMemoryStore;
import dev.notify.core.spi.NotificationStore;
import dev.notify.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Fresh stores for benchmarks by kind: {@code memory}, {@code h2} (a new file under target/bench), and
 * {@code postgres} / {@code mariadb} (a new table prefix per store on the server named by
 * {@code NOTIFY_BENCH_POSTGRES_URL} / {@code NOTIFY_BENCH_MARIADB_URL}, defaulting to the local test servers).
 */
final class BenchStores {
  static final String PG_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String MARIA_DEFAULT = "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";

  private BenchStores() {}

  /** Store-method times of every store made with {@code -Dbench.timed=true}; printed when the JVM exits. */
  static final java.util.Map<String, java.util.concurrent.atomic.LongAdder[]> TIMES = new java.util.concurrent.ConcurrentHashMap<>();
  private static final long STARTED = System.nanoTime();

  static Supplier<NotificationStore> forKind(String kind) {
    Supplier<NotificationStore> plain = plain(kind);
    if (!Boolean.getBoolean("bench.timed")) return plain;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> TimedStore.report(TIMES, System.out, System.nanoTime() - STARTED)));
    return () -> new TimedStore(plain.get(), TIMES).store();
  }

  private static Supplier<NotificationStore> plain(String kind) {
    switch (kind) {
      case "memory":
        return InMemoryStore::create;
      case "h2":
        return () -> {
          try {
            Path dir = Files.createDirectories(Path.of("target", "bench"));
            return JdbcStore.h2File(dir.resolve("notify-" + UUID.randomUUID()));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
      case "postgres":
        return () -> server(env("NOTIFY_BENCH_POSTGRES_URL", PG_DEFAULT), 24);
      case "mariadb":
        return () -> server(env("NOTIFY_BENCH_MARIADB_URL", MARIA_DEFAULT), 24);
      default:
        throw new IllegalArgumentException("unknown store kind '" + kind + "'; use memory, h2, postgres or mariadb");
    }
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  /** A pooled store with a fresh table prefix; old benchmark tables are dropped first. */
  static JdbcStore server(String url, int poolSize) {
    DataSource ds = pool(url, poolSize);
    String prefix = "notify_b" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    return JdbcStore.builder(ds).tablePrefix(prefix).build();
  }

  static DataSource pool(String url, int size) {
    if (url.startsWith("jdbc:mariadb:")) {
      try {
        return new org.mariadb.jdbc.MariaDbPoolDataSource(url + (url.contains("?") ? "&" : "?") + "maxPoolSize=" + size);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    org.postgresql.ds.PGConnectionPoolDataSource pg = new org.postgresql.ds.PGConnectionPoolDataSource();
    pg.setURL(url);
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    pool.setMaxConnections(size);
    return pool;
  }

  /** 0812 followed by i in 8 digits (no String.format: a benchmark should measure the engine, not the formatter). */
  static String phone(long i) {
    String digits = Long.toString(i);
    return "0812" + "00000000".substring(digits.length()) + digits;
  }

  /** Deletes the H2 files of earlier benchmark runs (under target/bench; each run writes a new one). */
  static void deleteH2Files() {
    Path dir = Path.of("target", "bench");
    if (!Files.isDirectory(dir)) return;
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().startsWith("notify-")) Files.deleteIfExists(f);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Drops tables left by earlier benchmark runs (prefix notify_b). */
  static void dropBenchTables(String url) {
    try (Connection c = pool(url, 1).getConnection(); Statement s = c.createStatement()) {
      var rs = c.getMetaData().getTables(null, null, "notify_b%", new String[] {"TABLE"});
      java.util.List<String> tables = new java.util.ArrayList<>();
      while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
      for (String t : tables) s.execute("DROP TABLE IF EXISTS " + t + (url.startsWith("jdbc:postgresql:") ? " CASCADE" : ""));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
