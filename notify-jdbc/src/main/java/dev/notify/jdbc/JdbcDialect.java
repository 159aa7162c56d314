package dev.notify.jdbc;

/** The databases {@link JdbcStore} speaks. */
public enum JdbcDialect {
  /** H2 2.x, embedded (file or in-memory). */
  H2("h2"),
  /** PostgreSQL 12 or later. */
  POSTGRES("postgres"),
  /** MariaDB 10.6 or later, and MySQL 8. */
  MARIADB("mariadb");

  private final String folder;

  JdbcDialect(String folder) { this.folder = folder; }

  /**
   * The classpath folder of this dialect's schema scripts, e.g. {@code /dev/notify/jdbc/schema/postgres/},
   * for hosts that run them with Flyway or Liquibase.
   */
  public String scriptLocation() { return "/dev/notify/jdbc/schema/" + folder + "/"; }

  String folder() { return folder; }

  /** Guesses the dialect from a JDBC database product name. @throws IllegalArgumentException if unknown */
  static JdbcDialect fromProductName(String product) {
    String p = product == null ? "" : product.toLowerCase(java.util.Locale.ROOT);
    if (p.contains("h2")) return H2;
    if (p.contains("postgresql")) return POSTGRES;
    if (p.contains("mariadb") || p.contains("mysql")) return MARIADB;
    throw new IllegalArgumentException("unsupported database '" + product + "': notify-jdbc supports H2, PostgreSQL, MariaDB and MySQL");
  }
}
