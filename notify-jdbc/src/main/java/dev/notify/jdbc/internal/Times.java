package dev.notify.jdbc.internal;

import java.time.Instant;

/**
 * Instants are stored as BIGINT microseconds since the epoch (UTC): portable across H2, PostgreSQL and
 * MariaDB, exact for {@code Instant.now()} on current JVMs, ordered and indexable. Nanoseconds below a
 * microsecond are dropped.
 */
public final class Times {
  private Times() {}

  public static Long micros(Instant instant) {
    if (instant == null) return null;
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** Reads a nullable BIGINT micros column. */
  public static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : instant(v);
  }
}
