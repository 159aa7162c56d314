package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DurableCheckpointTest {
  private final DurableCheckpoint checkpoint = new DurableCheckpoint();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger started = new AtomicInteger();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach void stop() { threads.shutdownNow(); }

  /** A connection whose CHECKPOINT records its start and end and, for the first one, waits for {@code gate}. */
  private Connection connection(CountDownLatch gate, CountDownLatch firstStarted) {
    Statement st = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
        (p, m, args) -> {
          if (m.getName().equals("execute")) {
            assertThat(args[0]).isEqualTo("CHECKPOINT");
            int n = started.incrementAndGet();
            events.add("start " + n);
            if (n == 1) {
              firstStarted.countDown();
              gate.await();
            }
            events.add("end " + n);
            return false;
          }
          return null; // close
        });
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (p, m, args) -> m.getName().equals("createStatement") ? st : null);
  }

  @Test
  void callersArrivingDuringACheckpoint_shareTheNextOne_andReturnOnlyAfterIt() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch firstStarted = new CountDownLatch(1);
    Connection c = connection(gate, firstStarted);
    Future<?> first = threads.submit(() -> await(c, "first"));
    assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
    // two callers whose commits came after the running checkpoint started: it does not cover them
    Future<?> second = threads.submit(() -> await(c, "second"));
    Future<?> third = threads.submit(() -> await(c, "third"));
    while (checkpoint.waitingCallers() < 2) Thread.onSpinWait();
    gate.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    third.get(10, TimeUnit.SECONDS);

    assertThat(started).as("one checkpoint for both late callers").hasValue(2);
    assertThat(events.indexOf("returned first")).isGreaterThan(events.indexOf("end 1"));
    assertThat(events.indexOf("returned second")).isGreaterThan(events.indexOf("end 2"));
    assertThat(events.indexOf("returned third")).isGreaterThan(events.indexOf("end 2"));
  }

  @Test
  void failedCheckpoint_failsItsCaller_andTheNextCallerRunsAnother() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Statement st = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
        (p, m, args) -> {
          if (m.getName().equals("execute") && calls.incrementAndGet() == 1) throw new SQLException("disk full");
          return m.getName().equals("execute") ? false : null;
        });
    Connection c = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (p, m, args) -> m.getName().equals("createStatement") ? st : null);

    assertThatThrownBy(() -> checkpoint.await(c)).isInstanceOf(SQLException.class).hasMessage("disk full");
    checkpoint.await(c);
    assertThat(calls).hasValue(2);
  }

  private Void await(Connection c, String name) throws SQLException {
    checkpoint.await(c);
    events.add("returned " + name);
    return null;
  }
}
