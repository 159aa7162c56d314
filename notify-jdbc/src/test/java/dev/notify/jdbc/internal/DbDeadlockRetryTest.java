package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.StoreException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A store transaction the database rolled back to break a deadlock runs again; other failures do not. In a host's
 * transaction, a deadlock that rolled back the whole transaction is reported as such.
 */
class DbDeadlockRetryTest {
  private final List<String> calls = new ArrayList<>();
  private final Db db = db("h2");

  private Db db(String dialect) {
    return new Db((DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, args) -> m.getName().equals("getConnection") ? connection() : null),
        SqlDialect.of(dialect, new Tables("notify_")), new Tables("notify_"));
  }

  /** Records commit and rollback; auto-commit as the caller set it. */
  private Connection connection() {
    boolean[] autoCommit = {true};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (p, m, args) -> {
          switch (m.getName()) {
            case "getAutoCommit": return autoCommit[0];
            case "setAutoCommit": autoCommit[0] = (Boolean) args[0]; return null;
            case "commit": case "rollback": calls.add(m.getName() + (args == null ? "" : " to savepoint")); return null;
            default: return null;
          }
        });
  }

  @Test
  void deadlockVictim_runsAgain_andCommitsTheSecondRun() {
    AtomicInteger runs = new AtomicInteger();
    String result = db.run(null, true, c -> {
      if (runs.incrementAndGet() == 1) throw new SQLException("Deadlock found when trying to get lock", "40001", 1213);
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertThat(runs).hasValue(2);
    assertThat(calls).containsExactly("rollback", "commit");
  }

  @Test
  void postgresDeadlockReportedAsABatchsNextException_runsAgain() {
    AtomicInteger runs = new AtomicInteger();
    db.run(null, false, c -> {
      if (runs.incrementAndGet() == 1) {
        SQLException batch = new SQLException("Batch entry 0 was aborted", "40P01");
        batch.setNextException(new SQLException("deadlock detected", "40P01"));
        throw new Jdbc.Failure(new java.sql.BatchUpdateException("batch failed", "XX000", new int[0], batch));
      }
      return null;
    });
    assertThat(runs).hasValue(2);
  }

  @Test
  void deadlockEveryTime_givesUpAfterTheLastAttempt() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> db.run(null, true, c -> {
      runs.incrementAndGet();
      throw new SQLException("Deadlock found when trying to get lock", "40001", 1213);
    })).isInstanceOf(Jdbc.Failure.class).hasMessageContaining("Deadlock");
    assertThat(runs).hasValue(Db.ROLLED_BACK_ATTEMPTS);
  }

  @Test
  void otherFailure_isNotRunAgain() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> db.run(null, true, c -> {
      runs.incrementAndGet();
      throw new SQLException("Duplicate entry", "23000", 1062);
    })).isInstanceOf(Jdbc.Failure.class);
    assertThat(runs).hasValue(1);
    assertThat(calls).containsExactly("rollback");
  }

  /**
   * H2, MariaDB and MySQL roll back a deadlock victim's whole transaction: the host's earlier work is gone, and a
   * commit after an ordinary failed enqueue would silently commit nothing of it.
   */
  @Test
  void deadlockInAHostTransaction_saysTheWholeTransactionWasRolledBack_andLeavesTheSavepointAlone() throws Exception {
    Connection host = connection();
    host.setAutoCommit(false);

    assertThatThrownBy(() -> db.run(host, false, c -> {
      throw new SQLException("Deadlock found when trying to get lock", "40001", 1213);
    })).isInstanceOf(StoreException.class)
        .hasMessage("the database rolled back the caller's whole transaction (Deadlock found when trying to get lock):"
            + " nothing written in it before this call is left; roll the transaction back and retry it, do not commit it");
    assertThat(calls).isEmpty();
  }

  @Test
  void otherFailureInAHostTransaction_isRolledBackToTheSavepoint() throws Exception {
    Connection host = connection();
    host.setAutoCommit(false);

    assertThatThrownBy(() -> db.run(host, false, c -> {
      throw new SQLException("Duplicate entry", "23000", 1062);
    })).isInstanceOf(Jdbc.Failure.class).hasMessage("Duplicate entry");
    assertThat(calls).containsExactly("rollback to savepoint");
  }

  /** PostgreSQL aborts only the subtransaction: back at the savepoint, the host's transaction goes on. */
  @Test
  void postgresDeadlockInAHostTransaction_isRolledBackToTheSavepoint() throws Exception {
    Connection host = connection();
    host.setAutoCommit(false);

    assertThatThrownBy(() -> db("postgres").run(host, false, c -> {
      throw new SQLException("deadlock detected", "40P01");
    })).isInstanceOf(Jdbc.Failure.class).hasMessage("deadlock detected");
    assertThat(calls).containsExactly("rollback to savepoint");
  }
}
