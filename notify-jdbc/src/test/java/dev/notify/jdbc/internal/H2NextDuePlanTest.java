package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The per-priority lookups behind H2's nextDue read one index row each, however many PENDING rows the priority
 * above has (EXPLAIN ANALYZE reports the rows read as scanCount).
 */
class H2NextDuePlanTest {
  @Test
  void lookupBelowAPriority_startsAtTheNextPriority_insteadOfReadingTheRowsAbove() throws Exception {
    String name = "nextdueplan";
    JdbcStore store = JdbcStore.h2InMemory(name);
    store.start();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + name + ";LOCK_TIMEOUT=10000", "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO notify_queue (id, phone, template_key, context, scheduled_at, priority, state, delivery_status,"
            + " attempts, max_retries, respect_blacklist, created_at)"
            + " SELECT 'e' || x, '+6281200000000', 't', '{}', 1000 + x, MOD(x, 2) + 5, 'PENDING', 'NONE', 0, 3, TRUE, 0"
            + " FROM SYSTEM_RANGE(1, 2000)");
      }
      String sql = new H2Dialect(new Tables("notify_")).firstPendingSql(true);
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + sql)) {
        ps.setInt(1, 5); // below priority 6, which holds 1,000 PENDING rows
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getString(1)).contains("queue_claim_idx".toUpperCase()).contains("scanCount: 1 */");
        }
      }
    } finally {
      store.close();
    }
  }
}
