package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.StoreException;
import dev.notify.jdbc.internal.Rows;
import dev.notify.jdbc.internal.SqlDialect;
import dev.notify.jdbc.internal.Tables;
import dev.notify.jdbc.internal.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
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

    Claimed claimed = claimCountingIndexReads();

    assertThat(claimed.ids()).hasSize(10).allMatch(id -> id.startsWith("due-"));
    assertThat(claimed.indexReads()).as("index rows read by the claim").isLessThan(100);
  }

  /** A paused campaign's entries are parked out of the claim index's PENDING range: claims do not read them. */
  @Test
  void claim_readsNoEntriesOfAPausedCampaign() throws Exception {
    JdbcStore store = db.store();
    store.saveCampaign(dev.notify.core.Campaign.builder("c1", "Sosialisasi").templateKey("t").targetSource("s")
        .state(dev.notify.core.CampaignState.RUNNING).createdAt(T0).build());
    List<dev.notify.core.spi.NewEntry> campaign = new java.util.ArrayList<>();
    for (int i = 0; i < 1_000; i++) campaign.add(newEntry(entry("c1-" + i).toBuilder().campaignId("c1").priority(5).build()));
    store.enqueue(campaign, T0, null);
    store.transitionCampaign("c1", dev.notify.core.CampaignState.RUNNING, dev.notify.core.CampaignState.PAUSED, T0);
    store.enqueue(newEntries("plain-", 0, 10), T0, null);

    Claimed claimed = claimCountingIndexReads();

    assertThat(claimed.ids()).hasSize(10).allMatch(id -> id.startsWith("plain-"));
    assertThat(claimed.indexReads()).as("index rows read by the claim").isLessThan(100);
  }

  /**
   * A batch of the finished-entry cleanup reads the oldest rows through queue_created_idx and stops at its limit,
   * also when nearly every row qualifies (the first run after an upgrade). Left to itself MariaDB read such a
   * cutoff's rows through queue_lease_idx and sorted them all, locking rows past the cutoff.
   */
  @Test
  void finishedEntryCleanup_readsABatchOfTheOldestRows_notTheWholeQueue() throws Exception {
    JdbcStore store = db.store();
    List<dev.notify.core.spi.NewEntry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      entries.add(newEntry(entry(String.format("done-%04d", i)).toBuilder().campaignId(i % 10 == 0 ? "c1" : null).build()));
    }
    store.enqueue(entries, T0, null);
    db.update("UPDATE " + db.table("queue") + " SET state = 'SENT'");
    Tables tables = new Tables(db.prefix);
    String sql = dev.notify.jdbc.internal.QueueRepository.deleteFinishedSql(SqlDialect.of("mariadb", tables), tables, 10)
        .replace(":cutoff", String.valueOf(Times.micros(T0.plusSeconds(86_400))));

    long read;
    int deleted;
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      long before = rowReads(c);
      deleted = s.executeUpdate(sql);
      read = rowReads(c) - before;
    }

    assertThat(deleted).isEqualTo(10);
    assertThat(read).as("rows read by one batch of 10").isLessThan(100);
  }

  private static final String PARAGRAPH = "0812-3456-7890 (kantor), 0813-1111-2222 (rumah), hubungi setelah jam 16.00; ".repeat(4);

  /** A started engine on this database that dispatches only when asked. */
  private dev.notify.core.NotificationEngine.Builder engineOnThisDatabase() {
    return dev.notify.core.NotificationEngine.builder().store(db.store()).provider(new dev.notify.core.RecordingProvider())
        .environment(k -> null).backgroundDispatch(false).template(dev.notify.core.MessageTemplate.of("t", "Pesan"));
  }

  /**
   * A free-text contact column (300 characters) given as the phone. Before, its skip log carried the whole value,
   * longer than delivery_log.phone (VARCHAR(255)): fire() threw "Data too long" instead of reporting the skip.
   */
  @Test
  void fire_withAPhoneLongerThanThePhoneColumn_reportsInvalidPhone_andLogsIt() {
    try (dev.notify.core.NotificationEngine engine = engineOnThisDatabase()
        .trigger(dev.notify.core.Trigger.manual("m").build())
        .rule(dev.notify.core.Rule.builder("r").trigger("m").recipients(dev.notify.core.Recipients.field("record.phone"))
            .template("t").build())
        .build().start()) {

      dev.notify.core.FireResult r = engine.fire("m", java.util.Map.of("phone", PARAGRAPH), java.util.Map.of());

      assertThat(r.queued()).isEmpty();
      assertThat(r.skippedFor("invalid_phone")).isTrue();
      assertThat(engine.store().logs(dev.notify.core.spi.LogQuery.all())).singleElement()
          .satisfies(l -> assertThat(l.phone()).isEqualTo("0812-3456-7890 (kantor), 0813-1…"));
    }
  }

  /** Before, such a target failed every batch of its campaign: the skip logs were written before the cursor was saved. */
  @Test
  void campaignTargetWithAPhoneLongerThanThePhoneColumn_isSkipped_andTheBatchMovesOn() {
    dev.notify.core.campaign.People people = dev.notify.core.campaign.People.of(List.of(
        java.util.Map.of("phone", PARAGRAPH), dev.notify.core.campaign.People.person(1)));
    try (dev.notify.core.NotificationEngine engine = engineOnThisDatabase().targetSource("people", people).build().start()) {
      String id = engine.campaigns().create(dev.notify.core.CampaignSpec.builder("kampanye").template("t").targets("people").build());

      engine.campaigns().start(id);

      assertThat(engine.campaigns().find(id).orElseThrow().cursor()).as("targets done").isEqualTo(2);
      assertThat(engine.store().logs(dev.notify.core.spi.LogQuery.all().withCampaign(id))).singleElement()
          .satisfies(l -> assertThat(l.reason()).isEqualTo("invalid_phone"));
    }
  }

  /** Index and table rows this session read so far: {@link #indexReads} plus rows read by table scans. */
  private static long rowReads(Connection c) throws SQLException {
    return handlerCounts(c, "'Handler_read_next', 'Handler_read_prev', 'Handler_icp_attempts', 'Handler_read_rnd_next'");
  }

  private record Claimed(List<String> ids, long indexReads) {}

  /** Claims up to 50 entries at T0 through the dialect on a connection of the test, and counts its index reads. */
  private Claimed claimCountingIndexReads() throws SQLException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      long before = indexReads(c);
      List<Rows.EntryRow> claimed = SqlDialect.of("mariadb", new Tables(db.prefix))
          .claim(c, Times.micros(T0), 50, "node-a", Times.micros(T0.plus(LEASE)));
      long read = indexReads(c) - before;
      c.rollback();
      return new Claimed(claimed.stream().map(r -> r.entry().id()).toList(), read);
    }
  }

  /** Index entries this session read so far. */
  private static long indexReads(Connection c) throws SQLException {
    return handlerCounts(c, "'Handler_read_next', 'Handler_read_prev', 'Handler_icp_attempts'");
  }

  /** The sum of this session's status counters named in {@code quotedNames}. */
  private static long handlerCounts(Connection c, String quotedNames) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN (" + quotedNames + ")")) {
      long sum = 0;
      while (rs.next()) sum += rs.getLong(2);
      return sum;
    }
  }


  /**
   * Host transactions at MariaDB's default REPEATABLE READ, each enqueueing new dedupe keys that fall in the same
   * index gap: looking a key up before inserting it took a gap lock in each, and their inserts then waited on
   * each other until InnoDB rolled one back as a deadlock victim (the host's whole transaction).
   */
  @Test
  void newDedupeKeysInTwoHostTransactionsAtRepeatableRead_doNotDeadlock() throws Exception {
    JdbcStore store = db.store();
    try (Connection a = db.connection(); Connection b = db.connection()) {
      for (Connection c : List.of(a, b)) {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setAutoCommit(false);
      }
      store.enqueue(List.of(keyed("a1", "order:101")), T0, a);
      // its own thread: the common pool has one thread on two cores, which another test's task may hold
      java.util.concurrent.CompletableFuture<Integer> second = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> store.enqueue(List.of(keyed("b1", "order:102")), T0, b).size(), r -> new Thread(r, "host-b").start());
      awaitDoneOrLockWait(second);
      store.enqueue(List.of(keyed("a2", "order:103")), T0, a);
      a.commit();
      assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
      b.commit();
    }

    assertThat(store.findEntry("a1")).isPresent();
    assertThat(store.findEntry("a2")).isPresent();
    assertThat(store.findEntry("b1")).isPresent();
  }

  /**
   * InnoDB rolls back a deadlock victim's whole transaction, not only the statement in the savepoint: the host's
   * earlier work is gone. The failed enqueue had been reported like any other, so a host that committed its own work
   * without the notification (as the docs allowed) silently committed nothing of it.
   */
  @Test
  void deadlockInsideEnqueueInAHostTransaction_saysTheWholeTransactionWasRolledBack() throws Exception {
    JdbcStore store = db.store();
    String business = db.table("permits");
    db.update("CREATE TABLE " + business + " (id INT PRIMARY KEY, state INT) ENGINE=InnoDB");
    try {
      db.update("INSERT INTO " + business + " VALUES (1, 0)");
      try (Connection a = db.connection(); Connection b = db.connection()) {
        a.setAutoCommit(false);
        b.setAutoCommit(false);
        try (Statement s = a.createStatement()) {
          s.executeUpdate("INSERT INTO " + business + " VALUES (100, 100)"); // the host's own work before fire
          s.executeUpdate("UPDATE " + business + " SET state = 1 WHERE id = 1");
        }
        try (Statement s = b.createStatement()) { // heavier, so that InnoDB picks A as the victim
          for (int i = 200; i < 400; i++) s.executeUpdate("INSERT INTO " + business + " VALUES (" + i + ", 0)");
        }
        store.enqueue(List.of(keyed("b1", "order:101")), T0, b); // B holds the dedupe key
        long aId = connectionId(a);
        // its own thread: the common pool has one thread on two cores, which another test's task may hold
        java.util.concurrent.CompletableFuture<Throwable> enqueueA = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            store.enqueue(List.of(keyed("a1", "order:101")), T0, a); // waits for B's dedupe key
            return null;
          } catch (RuntimeException e) {
            return e;
          }
        }, r -> new Thread(r, "host-a").start());
        awaitDoneOrLockWait(enqueueA, aId);
        try (Statement s = b.createStatement()) {
          s.executeUpdate("UPDATE " + business + " SET state = 2 WHERE id = 1"); // waits for A: a deadlock
        }

        Throwable failure = enqueueA.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(StoreException.class)
            .hasMessageStartingWith("the database rolled back the caller's whole transaction (")
            .hasMessageEndingWith("): nothing written in it before this call is left; roll the transaction back and"
                + " retry it, do not commit it");
        assertThat(failure.getCause()).hasMessageContaining("Deadlock");
        a.rollback();
        b.commit();
      }
      assertThat(store.findEntry("b1")).isPresent();
      assertThat(store.findEntry("a1")).isEmpty();
      assertThat(db.count("SELECT COUNT(*) FROM " + business + " WHERE id = 100")).as("A's work").isZero();
    } finally {
      db.update("DROP TABLE IF EXISTS " + business);
    }
  }

  private static long connectionId(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Returns once {@code work} is done or the transaction of the server's connection {@code connectionId} waits for a lock. */
  private void awaitDoneOrLockWait(java.util.concurrent.Future<?> work, long connectionId) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    try (Connection c = db.connection();
         PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
             + " WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id = ?")) {
      ps.setLong(1, connectionId);
      while (!work.isDone()) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) return;
        }
        if (System.nanoTime() > deadline) {
          StringBuilder sb = new StringBuilder();
          try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT ID, COMMAND, STATE, INFO FROM information_schema.PROCESSLIST")) {
            while (rs.next()) sb.append("\nPL ").append(rs.getLong(1)).append(" ").append(rs.getString(2)).append(" | ").append(rs.getString(3)).append(" | ").append(rs.getString(4));
          }
          for (var e : Thread.getAllStackTraces().entrySet()) if (e.getKey().getName().startsWith("host-")) sb.append("\nTHREAD ").append(e.getKey().getName()).append(java.util.Arrays.toString(e.getValue()));
          System.out.println("DIAG aId=" + connectionId + sb);
          throw new AssertionError("neither done nor waiting for a lock after 30 s");
        }
        Thread.onSpinWait();
      }
    }
  }

  /** Returns once {@code work} is done or some transaction of the server waits for a lock. */
  private void awaitDoneOrLockWait(java.util.concurrent.Future<?> work) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      while (!work.isDone()) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")) {
          rs.next();
          if (rs.getLong(1) > 0) return;
        }
        if (System.nanoTime() > deadline) throw new AssertionError("neither done nor waiting for a lock after 30 s");
        Thread.onSpinWait();
      }
    }
  }
}
