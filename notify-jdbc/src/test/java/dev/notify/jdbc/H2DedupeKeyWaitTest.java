package dev.notify.jdbc;

import static dev.notify.jdbc.JdbcStoreBehaviour.T0;
import static dev.notify.jdbc.JdbcStoreBehaviour.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.StoreException;
import java.sql.Connection;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * On H2, a new dedupe key that another transaction inserted and has not committed within LOCK_TIMEOUT fails the
 * enqueue: it is not counted as a duplicate, even when another key of the same batch is one (H2 reports the
 * batch's first failure as its own).
 */
class H2DedupeKeyWaitTest {
  @Test
  void aKeyHeldByAnUncommittedTransaction_failsTheEnqueue_insteadOfDroppingItsEntryAsADuplicate() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:dedupewait;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=300");
    try (JdbcStore store = JdbcStore.builder(ds).dialect(JdbcDialect.H2).build()) {
      store.start();
      store.enqueue(List.of(keyed("first-j", "j")), T0, null);
      try (Connection host = ds.getConnection()) {
        host.setAutoCommit(false);
        store.enqueue(List.of(keyed("host-k", "k")), T0, host); // holds key k, uncommitted

        assertThatThrownBy(() -> store.enqueue(List.of(keyed("second-j", "j"), keyed("second-k", "k")), T0, null))
            .isInstanceOf(StoreException.class);
        host.rollback();
      }

      assertThat(store.enqueue(List.of(keyed("third-k", "k")), T0, null)).as("k is free once the host rolled back").hasSize(1);
      assertThat(store.findEntry("second-k")).isEmpty();
    }
  }
}
