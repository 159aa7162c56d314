package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.FireResult;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipients;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import dev.notify.core.TriggerEvent;
import dev.notify.core.internal.ForwardingStore;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NotificationStore;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** fire() joined to a host's transaction: what it writes commits or rolls back with the host, and is sent soon after. */
class HostTransactionFireTest {

  private static NotificationEngine engine(NotificationStore store, RecordingProvider p, boolean background, Duration idlePoll) {
    return NotificationEngine.builder().store(store).provider(p).environment(k -> null)
        .backgroundDispatch(background).backgroundJobs(false).idlePoll(idlePoll)
        .template(MessageTemplate.of("t", "Halo {{n}}"))
        .trigger(Trigger.manual("ping").build())
        .rule(Rule.builder("r").trigger("ping").recipients(Recipients.field("record.phone"))
            .context("n", "record.n").template("t").build())
        .build().start();
  }

  private static FireResult fireIn(NotificationEngine engine, Connection c, String phone) {
    return engine.fire(TriggerEvent.builder("ping").record(Map.of("phone", phone, "n", "1")).transaction(c).build());
  }

  /** Before, the skip log was written on the store's own connection: a rolled-back business change left it behind. */
  @Test
  void skipLogOfAFireInAHostTransaction_isRolledBackWithIt() throws Exception {
    try (TestDatabase db = TestDatabase.h2Mem();
         NotificationEngine engine = engine(db.store(), new RecordingProvider(), false, Duration.ofSeconds(1));
         Connection c = db.connection()) {
      c.setAutoCommit(false);
      FireResult r = fireIn(engine, c, "12");
      assertThat(r.skipped()).extracting(FireResult.Skip::reason).containsExactly("invalid_phone");

      c.rollback();

      assertThat(engine.store().logs(LogQuery.all())).isEmpty();
    }
  }

  @Test
  void skipLogOfAFireInAHostTransaction_isCommittedWithIt() throws Exception {
    try (TestDatabase db = TestDatabase.h2Mem();
         NotificationEngine engine = engine(db.store(), new RecordingProvider(), false, Duration.ofSeconds(1));
         Connection c = db.connection()) {
      c.setAutoCommit(false);
      fireIn(engine, c, "12");

      c.commit();

      assertThat(engine.store().logs(LogQuery.all())).singleElement()
          .satisfies(l -> assertThat(l.reason()).isEqualTo("invalid_phone"));
    }
  }

  /**
   * Before, a failure writing a fire's skip logs in the host's transaction was only logged when the fire had queued
   * something: when the database had rolled back the host's whole transaction (a deadlock), fire() returned the
   * entries as queued, and the host's commit then committed nothing, neither its change nor the notification.
   */
  @Test
  void skipLogFailingInAHostTransaction_isThrown_evenWhenEntriesWereQueued() throws Exception {
    try (TestDatabase db = TestDatabase.h2Mem();
         NotificationEngine engine = NotificationEngine.builder().store(db.store()).provider(new RecordingProvider())
             .environment(k -> null).backgroundDispatch(false).backgroundJobs(false)
             .template(MessageTemplate.of("t", "Halo {{n}}")).trigger(Trigger.manual("ping").build())
             .rule(Rule.builder("good").trigger("ping").recipients(Recipients.field("record.phone")).context("n", "record.n").template("t").build())
             .rule(Rule.builder("bad").trigger("ping").recipients(Recipients.field("record.other")).context("n", "record.n").template("t").build())
             .build().start();
         Connection physical = db.connection()) {
      physical.setAutoCommit(false);
      // the delivery log's insert is a deadlock victim: the database rolls the whole transaction back, then says 40001
      Connection host = (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, m, args) -> {
            if (m.getName().startsWith("prepareStatement") && String.valueOf(args[0]).contains("delivery_log")) {
              physical.rollback();
              throw new java.sql.SQLException("Deadlock detected. The current transaction was rolled back.", "40001", 40001);
            }
            try {
              return m.invoke(physical, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.fire(TriggerEvent.builder("ping")
              .record(Map.of("phone", "081234567890", "other", "12", "n", "1")).transaction(host).build()))
          .isInstanceOf(dev.notify.core.StoreException.class);
    }
  }

  /**
   * A store decorating another that knows nothing of appendLogs(logs, transaction) writes the skip log as before
   * (outside the transaction), instead of failing the fire.
   */
  @Test
  void fireInAHostTransaction_throughAStoreWithoutTheTransactionalAppend_stillLogsTheSkip() throws Exception {
    try (TestDatabase db = TestDatabase.h2Mem()) {
      JdbcStore jdbc = db.store();
      NotificationStore decorating = new ForwardingStore(jdbc) {
        @Override public void appendLogs(List<dev.notify.core.DeliveryLog> logs, Object transaction) {
          appendLogs(logs); // what the SPI's default does: an older decorator knows only appendLogs(logs)
        }
      };
      try (NotificationEngine engine = engine(decorating, new RecordingProvider(), false, Duration.ofSeconds(1));
           Connection c = db.connection()) {
        c.setAutoCommit(false);
        FireResult r = fireIn(engine, c, "12");
        c.commit();

        assertThat(r.skipped()).extracting(FireResult.Skip::reason).containsExactly("invalid_phone");
        assertThat(jdbc.logs(LogQuery.all())).extracting(l -> l.reason()).containsExactly("invalid_phone");
      }
    }
  }

  /**
   * Before, the fire woke the dispatcher before the host committed: its claim found nothing, and the entry waited for
   * the idle poll (here a minute).
   */
  @Test
  void entryQueuedInAHostTransaction_isSentSoonAfterTheCommit_notAtTheNextIdlePoll() throws Exception {
    Semaphore claims = new Semaphore(0); // claims that started after the fire returned, and ended
    java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch sent = new CountDownLatch(1);
    RecordingProvider p = new RecordingProvider().failWith(m -> {
      sent.countDown();
      return null;
    });
    try (TestDatabase db = TestDatabase.h2Mem()) {
      NotificationStore counting = new ForwardingStore(db.store()) {
        @Override public List<QueueEntry> completeAndClaim(List<EntryUpdate> updates, Instant now, int limit, String owner,
                                                           Instant leaseUntil) {
          boolean afterFire = fired.get();
          List<QueueEntry> claimed = super.completeAndClaim(updates, now, limit, owner, leaseUntil);
          if (afterFire) claims.release();
          return claimed;
        }
      };
      try (NotificationEngine engine = engine(counting, p, true, Duration.ofMinutes(1)); Connection c = db.connection()) {
        c.setAutoCommit(false);
        fireIn(engine, c, "+6281234567890");
        fired.set(true);
        // a claim after the fire, which cannot see the entry yet (before, the fire's own wake-up claim was the last
        // one before the idle poll, so this waited in vain)
        assertThat(claims.tryAcquire(10, TimeUnit.SECONDS)).as("a claim after the fire, before the commit").isTrue();

        c.commit();

        assertThat(sent.await(10, TimeUnit.SECONDS)).as("sent within 10 s of the commit (idle poll: 1 min)").isTrue();
      }
    }
  }
}
