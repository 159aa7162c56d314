package dev.notify.jdbc.internal;

import dev.notify.core.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned scripts {@code /dev/notify/jdbc/schema/<dialect>/V<n>__<name>.sql} in order and
 * records each in {@code <prefix>schema_version} (the scripts insert their own row, so running them with
 * Flyway or Liquibase leaves the same table behind). Refuses a database whose version is newer than the
 * scripts this library ships.
 */
public final class Migrator {
  /** The scripts, oldest first. Add new versions at the end; never edit a released script. */
  static final List<String> SCRIPTS = List.of("V1__init.sql");
  public static final int LATEST = SCRIPTS.size();

  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  private final Jdbi jdbi;
  private final SqlDialect dialect;
  private final Tables t;

  public Migrator(Jdbi jdbi, SqlDialect dialect, Tables tables) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.t = tables;
  }

  /** Brings the schema to {@link #LATEST}; returns the version found before. */
  public int migrate() {
    return jdbi.withHandle(h -> {
      dialect.lockMigration(h);
      try {
        int current = currentVersion(h).orElse(0);
        refuseNewer(current);
        for (int v = current + 1; v <= LATEST; v++) apply(h, v);
        return current;
      } finally {
        dialect.unlockMigration(h);
      }
    });
  }

  /** Checks that the schema is exactly at {@link #LATEST} (for hosts that migrate with Flyway or Liquibase). */
  public void verify() {
    int current = jdbi.withHandle(this::currentVersion).orElseThrow(() -> new StoreException(
        "notify schema not found: table " + t.version + " does not exist. Run the scripts under /dev/notify/jdbc/schema/"
            + dialect.scriptFolder() + "/ (placeholder ${prefix} = " + t.prefix + ") or build the store with migrate(true)"));
    refuseNewer(current);
    if (current < LATEST) {
      throw new StoreException("notify schema (table " + t.version + ") is at version " + current + ", this notify-jdbc needs version "
          + LATEST + ": apply the newer scripts under /dev/notify/jdbc/schema/" + dialect.scriptFolder() + "/ or build the store with migrate(true)");
    }
  }

  private void refuseNewer(int current) {
    if (current > LATEST) {
      throw new StoreException("notify schema (table " + t.version + ") is at version " + current + ", newer than version "
          + LATEST + " known to this notify-jdbc: upgrade notify-jdbc, or use another database or table prefix");
    }
  }

  /** The highest applied version, 0 for an empty version table, empty when the table does not exist. */
  Optional<Integer> currentVersion(Handle h) {
    if (!tableExists(h, t.version)) return Optional.empty();
    Integer v = h.createQuery("SELECT MAX(version) FROM " + t.version).mapTo(Integer.class).one();
    return Optional.of(v == null ? 0 : v);
  }

  /** Looks the table up in the connection's own catalog and schema (H2 folds names to upper case, PostgreSQL to lower). */
  private static boolean tableExists(Handle h, String table) {
    try {
      Connection c = h.getConnection();
      DatabaseMetaData md = c.getMetaData();
      for (String name : new LinkedHashSet<>(List.of(table, table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)))) {
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), name, new String[] {"TABLE"})) {
          while (rs.next()) if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) return true;
        }
      }
      return false;
    } catch (SQLException e) {
      throw new StoreException("cannot read the database's table list: " + e.getMessage(), e);
    }
  }

  private void apply(Handle h, int version) {
    String script = SCRIPTS.get(version - 1);
    List<String> statements = statements(read(dialect.scriptFolder() + "/" + script).replace("${prefix}", t.prefix));
    LOG.info("notify schema: applying {} ({} statements) with table prefix {}", script, statements.size(), t.prefix);
    if (dialect.transactionalDdl()) {
      h.useTransaction(tx -> statements.forEach(tx::execute));
    } else {
      for (String s : statements) h.execute(s);
    }
  }

  static String read(String path) {
    String resource = "/dev/notify/jdbc/schema/" + path;
    try (InputStream in = Migrator.class.getResourceAsStream(resource)) {
      if (in == null) throw new StoreException("schema script " + resource + " is missing from the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("cannot read schema script " + resource, e);
    }
  }

  /**
   * Splits a script on semicolons that end a line, except inside a {@code $$}-quoted function body; drops
   * {@code --} comment lines.
   */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inBody = false;
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) continue;
      cur.append(line).append('\n');
      for (int i = line.indexOf("$$"); i >= 0; i = line.indexOf("$$", i + 2)) inBody = !inBody;
      if (!inBody && trimmed.endsWith(";")) {
        String s = cur.toString().strip();
        out.add(s.substring(0, s.length() - 1));
        cur.setLength(0);
      }
    }
    if (cur.toString().strip().length() > 0) out.add(cur.toString().strip());
    return out;
  }
}
