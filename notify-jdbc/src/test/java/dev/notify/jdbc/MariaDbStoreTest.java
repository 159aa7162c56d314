package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.jdbc.internal.Rows;
import dev.notify.jdbc.internal.SqlDialect;
import dev.notify.jdbc.internal.Tables;
import dev.notify.jdbc.internal.Times;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JdbcStoreBehaviour} on MariaDB (NOTIFY_TEST_MARIADB_URL; skipped without it). */
class MariaDbStoreTest extends JdbcStoreBehaviour {
  @Override TestDatabase openDatabase() {
    return TestDatabase.mariadb();
  }

  /**
   * Deferred entries of a higher priority lie in the claim index between that priority's due entries and the
   * next priority's; a claim reads each priority's due range only. The index entries read are counted by
   * Handler_read_next, and those that index condition pushdown checked and dropped by Handler_icp_attempts.
   */
  @Test
  void claim_readsTheDueRowsOfEachPriority_notTheDeferredEntriesBetweenThem() throws Exception {
    JdbcStore store = db.store();
    enqueueDeferredAboveDue(store);

    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      long before = indexReads(c);
      List<Rows.EntryRow> claimed = SqlDialect.of("mariadb", new Tables(db.prefix))
          .claim(c, Times.micros(T0), 50, "node-a", Times.micros(T0.plus(LEASE)));
      long read = indexReads(c) - before;
      c.rollback();

      assertThat(claimed).extracting(r -> r.entry().id()).hasSize(10).allMatch(id -> id.startsWith("due-"));
      assertThat(read).as("index rows read by the claim").isLessThan(100);
    }
  }

  /** Index entries this session read so far. */
  private static long indexReads(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next', 'Handler_read_prev',"
            + " 'Handler_icp_attempts')")) {
      long sum = 0;
      while (rs.next()) sum += rs.getLong(2);
      return sum;
    }
  }

}
