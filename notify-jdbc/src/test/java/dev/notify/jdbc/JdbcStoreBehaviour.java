package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.BlacklistEntry;
import dev.notify.core.Campaign;
import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.StoreException;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NewEntry;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC store adds to the contract: schema migration and its refusals, the transactional outbox on
 * a host's Connection or Jdbi Handle, corrupt stored context, and state shared between nodes. One subclass
 * per database.
 */
abstract class JdbcStoreBehaviour {
  static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(5);

  TestDatabase db;

  abstract TestDatabase openDatabase();

  @BeforeEach
  void open() {
    db = openDatabase();
  }

  @AfterEach
  void drop() throws Exception {
    if (db != null) db.close();
  }

  // ---- migrations ----

  @Test
  void start_onAnEmptyDatabase_createsTheSchemaAtTheLatestVersion_andASecondStartAppliesNothing() throws Exception {
    db.store();
    db.store();

    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("schema_version"))).isEqualTo(1);
    assertThat(db.count("SELECT MAX(version) FROM " + db.table("schema_version"))).isEqualTo(1);
  }

  /**
   * H2 and MariaDB cannot roll DDL back, and the version row is written last: a process killed in the middle of a
   * script leaves some tables and no version. The script is written to run again over what it left.
   */
  /** The cleanup deletes ended rate windows (one per second under a provider's limit), keeping each key's latest. */
  @Test
  void logCleanup_dropsARateWindowThatALaterOneOfItsKeyEnded() {
    JdbcStore store = db.store();
    Instant second = T0.minus(Duration.ofDays(3));
    assertThat(store.tryAcquire("provider:meta", second, 1)).isTrue();
    assertThat(store.tryAcquire("provider:meta", second.plusSeconds(1), 1)).isTrue();

    store.deleteLogsBefore(T0.minus(Duration.ofDays(1)));

    assertThat(store.tryAcquire("provider:meta", second, 1)).as("its row is gone: a fresh count").isTrue();
    assertThat(store.tryAcquire("provider:meta", second.plusSeconds(1), 1)).as("the latest is kept").isFalse();
  }

  @Test
  void start_afterAScriptThatStoppedHalfway_runsItAgainToTheEnd() throws Exception {
    db.store();
    db.update("DELETE FROM " + db.table("schema_version"));
    db.update("DROP TABLE " + db.table("job_runs"));

    JdbcStore store = db.store();

    assertThat(db.count("SELECT MAX(version) FROM " + db.table("schema_version"))).isEqualTo(1);
    store.recordJobRun(new dev.notify.core.JobRun("log-cleanup", "node-a", T0, 10, null));
    assertThat(store.jobRuns("log-cleanup", 10)).hasSize(1);
  }

  @Test
  void start_onADatabaseWithANewerSchema_refusesNamingBothVersions() throws Exception {
    db.store(); // keeps an in-memory H2 database alive
    db.update("INSERT INTO " + db.table("schema_version") + " (version, description) VALUES (7, 'from the future')");

    assertThatThrownBy(() -> db.store())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is at version 7, newer than version 1 known to this notify-jdbc");
    assertThatThrownBy(() -> db.custom(b -> b.migrate(false)).start())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is at version 7, newer than version 1 known to this notify-jdbc");
  }

  @Test
  void migrateOff_onAnEmptyDatabase_refusesToStartAndNamesTheScripts() {
    JdbcStore store = db.custom(b -> b.migrate(false));

    assertThatThrownBy(store::start)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("notify schema not found: table " + db.table("schema_version") + " does not exist")
        .hasMessageContaining("/dev/notify/jdbc/schema/");
  }

  @Test
  void migrateOff_onAMigratedDatabase_startsAndWorks() {
    db.store();
    JdbcStore store = db.custom(b -> b.migrate(false));

    store.start();

    assertThat(store.enqueue(List.of(newEntry(entry("e1"))), T0, null)).hasSize(1);
    assertThat(store.findEntry("e1")).isPresent();
  }

  // ---- transactional outbox ----

  @Test
  void enqueueOnAHostConnection_commitsWithTheHostsTransaction() throws Exception {
    JdbcStore store = db.store();
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      store.enqueue(List.of(newEntry(entry("e1")), newEntry(entry("e2"))), T0, c);

      assertThat(store.findEntry("e1")).as("not visible before the host commits").isEmpty();
      c.commit();
    }

    assertThat(store.findEntry("e1")).isPresent();
    assertThat(store.findEntry("e2")).isPresent();
  }

  @Test
  void enqueueOnAHostConnection_rollsBackWithTheHostsTransaction_includingItsDedupeKey() throws Exception {
    JdbcStore store = db.store();
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      store.enqueue(List.of(new NewEntry(entry("e1").toBuilder().dedupeKey("k").build(), T0.plus(Duration.ofHours(1)))), T0, c);
      c.rollback();
    }

    assertThat(store.findEntry("e1")).isEmpty();
    assertThat(store.enqueue(List.of(new NewEntry(entry("e2").toBuilder().dedupeKey("k").build(), T0.plus(Duration.ofHours(1)))), T0, null))
        .as("the rolled-back key blocks nothing").hasSize(1);
  }

  /** A batch that fails in the host's transaction leaves nothing of itself there, and the host can still commit. */
  @Test
  void aFailedEnqueueOnAHostConnection_leavesNothingOfItself_andTheHostStillCommitsItsOwnWork() throws Exception {
    JdbcStore store = db.store();
    store.enqueue(List.of(newEntry(entry("taken"))), T0, null);
    Duration hour = Duration.ofHours(1);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      store.enqueue(List.of(newEntry(entry("earlier"))), T0, c);
      assertThatThrownBy(() -> store.enqueue(List.of(new NewEntry(entry("fresh").toBuilder().dedupeKey("k").build(), T0.plus(hour)),
          newEntry(entry("taken"))), T0, c)).isInstanceOf(StoreException.class);
      c.commit();
    }

    assertThat(store.findEntry("earlier")).as("the host's earlier work in the transaction").isPresent();
    assertThat(store.findEntry("fresh")).isEmpty();
    assertThat(store.enqueue(List.of(new NewEntry(entry("again").toBuilder().dedupeKey("k").build(), T0.plus(hour))), T0, null))
        .as("the failed batch took no dedupe key").hasSize(1);
  }

  @Test
  void enqueueOnAJdbiHandle_commitsOrRollsBackWithIt() throws Exception {
    JdbcStore store = db.store();
    Jdbi host = Jdbi.create(db::connection);
    try (Handle h = host.open()) {
      h.begin();
      store.enqueue(List.of(newEntry(entry("kept"))), T0, h);
      h.commit();
      h.begin();
      store.enqueue(List.of(newEntry(entry("dropped"))), T0, h);
      h.rollback();
    }

    assertThat(store.findEntry("kept")).isPresent();
    assertThat(store.findEntry("dropped")).isEmpty();
  }

  @Test
  void enqueueOfNoEntriesOnAnUnknownTransactionType_isRefusedToo() {
    JdbcStore store = db.store();

    assertThatThrownBy(() -> store.enqueue(List.of(), T0, new StringBuilder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got java.lang.StringBuilder");
  }

  @Test
  void enqueueOnAnUnknownTransactionType_isRefusedNamingTheClass() {
    JdbcStore store = db.store();

    assertThatThrownBy(() -> store.enqueue(List.of(newEntry(entry("e1"))), T0, new StringBuilder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transaction must be a java.sql.Connection or an org.jdbi.v3.core.Handle, got java.lang.StringBuilder");
    assertThat(store.findEntry("e1")).isEmpty();
  }

  // ---- corrupt context ----

  /**
   * Queues a, broken and c, sets {@code set} on broken's row, claims: a and c come back, and broken is FAILED.
   *
   * @return broken as stored after the claim
   */
  private QueueEntry claimAroundABrokenRow(JdbcStore store, String set) throws Exception {
    store.enqueue(List.of(newEntry(entry("a")), newEntry(entry("broken")), newEntry(entry("c"))), T0, null);
    db.update("UPDATE " + db.table("queue") + " SET " + set + " WHERE id = 'broken'");

    List<QueueEntry> claimed = store.claimDue(T0, 10, "node-a", T0.plus(LEASE));

    assertThat(claimed).extracting(QueueEntry::id).containsExactlyInAnyOrder("a", "c");
    QueueEntry broken = store.findEntry("broken").orElseThrow();
    assertThat(broken.state()).isEqualTo(EntryState.FAILED);
    return broken;
  }


  @Test
  void claimDue_withAnUnreadableStoredContext_failsOnlyThatEntryWithItsReason() throws Exception {
    JdbcStore store = db.store();
    QueueEntry broken = claimAroundABrokenRow(store, "context = '{\"permit_number\": '");

    assertThat(broken.leaseOwner()).isNull();
    assertThat(broken.lastError()).startsWith("stored context is unreadable: not valid JSON");
    List<DeliveryLog> logs = store.logs(LogQuery.all());
    assertThat(logs).singleElement().satisfies(l -> {
      assertThat(l.entryId()).isEqualTo("broken");
      assertThat(l.state()).isEqualTo(EntryState.FAILED);
      assertThat(l.reason()).isEqualTo("corrupt_context");
      assertThat(l.createdAt()).isEqualTo(T0);
    });
    assertThat(store.claimDue(T0.plus(Duration.ofHours(1)), 10, "node-b", T0.plus(Duration.ofHours(2))))
        .as("after the leases expired").extracting(QueueEntry::id).containsExactlyInAnyOrder("a", "c");
  }

  /** A JSON null (which notify never writes) had made every claim that read the row throw, so its batch was never sent. */
  @Test
  void claimDue_withANullValueInAStoredContext_failsOnlyThatEntryWithItsReason() throws Exception {
    JdbcStore store = db.store();
    store.enqueue(List.of(newEntry(entry("a")), newEntry(entry("broken"))), T0, null);
    db.update("UPDATE " + db.table("queue") + " SET context = '{\"permit_number\": null}' WHERE id = 'broken'");

    List<QueueEntry> claimed = store.claimDue(T0, 10, "node-a", T0.plus(LEASE));

    assertThat(claimed).extracting(QueueEntry::id).containsExactly("a");
    QueueEntry broken = store.findEntry("broken").orElseThrow();
    assertThat(broken.state()).isEqualTo(EntryState.FAILED);
    assertThat(broken.lastError()).isEqualTo("stored context is unreadable: value of 'permit_number' is null, not a string");
  }

  /**
   * A delivery status this version does not know (written by a newer version, or by hand) had made the claim throw
   * after it committed: the whole batch stayed PROCESSING and failed again on every claim after its lease.
   */
  @Test
  void claimDue_withAnUnknownStoredDeliveryStatus_failsOnlyThatEntryNamingTheColumnAndValue() throws Exception {
    JdbcStore store = db.store();
    QueueEntry broken = claimAroundABrokenRow(store, "delivery_status = 'delivered'");

    assertThat(broken.leaseOwner()).isNull();
    assertThat(broken.lastError())
        .isEqualTo("stored delivery_status 'delivered' is unreadable: not one of NONE, SENT, DELIVERED, READ, FAILED");
    assertThat(store.logs(LogQuery.all())).singleElement().satisfies(l -> {
      assertThat(l.entryId()).isEqualTo("broken");
      assertThat(l.state()).isEqualTo(EntryState.FAILED);
      assertThat(l.reason()).isEqualTo("corrupt_row");
      assertThat(l.message()).isEqualTo(broken.lastError());
    });
    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("queue") + " WHERE state = 'PROCESSING'")).isEqualTo(2);
  }

  /**
   * Before, only the context and the delivery status were guarded: a blank phone or template key, or a negative count,
   * written by hand made the whole claim throw, after it had committed, and the batch's entries stayed PROCESSING (on
   * MariaDB, every claim failed).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"phone = ' '", "template_key = ''", "attempts = -1"})
  void claimDue_withAValueAnEntryRefuses_failsOnlyThatEntry(String corruption) throws Exception {
    JdbcStore store = db.store();
    QueueEntry broken = claimAroundABrokenRow(store, corruption);

    assertThat(broken.lastError()).startsWith("stored row is unreadable: ");
    assertThat(store.logs(LogQuery.all())).singleElement().satisfies(l -> {
      assertThat(l.entryId()).isEqualTo("broken");
      assertThat(l.reason()).isEqualTo("corrupt_row");
    });
  }

  /** The claim has committed: if failing the unreadable entry fails too, the readable ones are still returned. */
  @Test
  void claimDue_whenFailingAnUnreadableEntryFails_stillReturnsTheReadableOnes() throws Exception {
    JdbcStore store = db.store();
    store.enqueue(List.of(newEntry(entry("a")), newEntry(entry("broken"))), T0, null);
    db.update("UPDATE " + db.table("queue") + " SET context = '{\"permit_number\": ' WHERE id = 'broken'");
    db.update("DROP TABLE " + db.table("delivery_log")); // its log cannot be written

    List<QueueEntry> claimed = store.claimDue(T0, 10, "node-a", T0.plus(LEASE));

    assertThat(claimed).extracting(QueueEntry::id).containsExactly("a");
    assertThat(store.findEntry("broken").orElseThrow().state()).as("left leased, failed again after its lease expires")
        .isEqualTo(EntryState.PROCESSING);
  }

  /** The cleanup keeps each rate key's latest window (it may still be running) and drops the ones before it. */
  @Test
  void deleteLogsBefore_dropsTheEndedRateWindowsOfEachKey() throws Exception {
    JdbcStore store = db.store();
    for (int day = 5; day >= 2; day--) store.tryAcquire("rule:daily", T0.minus(Duration.ofDays(day)), 10);
    store.tryAcquire("provider:meta", T0.minus(Duration.ofDays(4)), 80);

    store.deleteLogsBefore(T0.minus(Duration.ofDays(1)));

    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("rate_counters"))).isEqualTo(2);
    assertThat(store.tryAcquire("rule:daily", T0.minus(Duration.ofDays(5)), 1)).as("an ended window, dropped").isTrue();
  }

  // ---- shared between nodes ----

  @Test
  void rateLimitPermits_areSharedByAllNodes() {
    JdbcStore a = db.store();
    JdbcStore b = db.store();

    assertThat(List.of(a.tryAcquire("provider:meta", T0, 3), b.tryAcquire("provider:meta", T0, 3),
        a.tryAcquire("provider:meta", T0, 3), b.tryAcquire("provider:meta", T0, 3), a.tryAcquire("provider:meta", T0, 3)))
        .containsExactly(true, true, true, false, false);
  }

  @Test
  void jobTick_isWonByOneNode() {
    JdbcStore a = db.store();
    JdbcStore b = db.store();
    Instant tick = T0.plus(Duration.ofMinutes(5));

    assertThat(b.tryClaimTick("log-cleanup", tick, "node-b", tick, tick.plus(LEASE))).isTrue();
    assertThat(a.tryClaimTick("log-cleanup", tick, "node-a", tick, tick.plus(LEASE))).isFalse();
    Instant next = tick.plus(Duration.ofMinutes(5));
    assertThat(a.tryClaimTick("log-cleanup", next, "node-a", next, next.plus(LEASE))).as("node-b's run goes on").isFalse();
    assertThat(b.finishTick("log-cleanup", tick, "node-b", next)).isTrue();
    assertThat(a.tryClaimTick("log-cleanup", next, "node-a", next, next.plus(LEASE))).isTrue();
  }

  @Test
  void jobTickOfADeadNode_isWonByAnotherNodeAfterItsLease() {
    JdbcStore a = db.store();
    JdbcStore b = db.store();
    Instant afterLease = T0.plus(LEASE).plusSeconds(1);
    b.tryClaimTick("log-cleanup", T0, "node-b", T0, T0.plus(LEASE)); // node-b dies during the run

    assertThat(a.unfinishedTickLease("log-cleanup", T0)).contains(T0.plus(LEASE));
    assertThat(a.tryClaimTick("log-cleanup", T0, "node-a", afterLease, afterLease.plus(LEASE))).isTrue();
    assertThat(a.finishTick("log-cleanup", T0, "node-a", afterLease)).isTrue();
    assertThat(b.unfinishedTickLease("log-cleanup", T0)).isEmpty();
    assertThat(b.tryClaimTick("log-cleanup", T0, "node-b", T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)))).isFalse();
  }

  @Test
  void dedupeKeyLongerThanTheKeyColumn_blocksOnEveryNode() {
    JdbcStore a = db.store();
    JdbcStore b = db.store();
    String key = "permit:" + "PRM/2026/".repeat(40) + "approved";
    Instant until = T0.plus(Duration.ofHours(1));

    List<QueueEntry> first = a.enqueue(List.of(new NewEntry(entry("e1").toBuilder().dedupeKey(key).build(), until)), T0, null);
    List<QueueEntry> second = b.enqueue(List.of(new NewEntry(entry("e2").toBuilder().dedupeKey(key).build(), until)), T0, null);
    List<QueueEntry> other = b.enqueue(List.of(new NewEntry(entry("e3").toBuilder().dedupeKey(key + "!").build(), until)), T0, null);

    assertThat(first).hasSize(1);
    assertThat(second).isEmpty();
    assertThat(other).hasSize(1);
    assertThat(b.findEntry("e1").orElseThrow().dedupeKey()).isEqualTo(key);
  }

  @Test
  void entryClaimedByADeadNode_isClaimedByAnotherAfterTheLease_andOnlyTheNewOwnerCompletes() {
    JdbcStore dead = db.store();
    JdbcStore alive = db.store();
    dead.enqueue(List.of(newEntry(entry("e1"))), T0, null);
    dead.claimDue(T0, 10, "node-dead", T0.plus(LEASE));

    Instant later = T0.plus(LEASE).plusSeconds(1);
    List<QueueEntry> taken = alive.claimDue(later, 10, "node-alive", later.plus(LEASE));

    assertThat(taken).extracting(QueueEntry::id).containsExactly("e1");
    assertThat(dead.complete(List.of(DrainSupport.sent(taken.get(0), "node-dead", later)))).isEmpty();
    assertThat(alive.complete(List.of(DrainSupport.sent(taken.get(0), "node-alive", later)))).containsExactly("e1");
    assertThat(alive.logs(LogQuery.all())).hasSize(1);
  }

  // ---- cleanup ----

  /** Deleting finished entries goes in statements of at most 10,000 rows, and goes on until none is left. */
  @Test
  void deleteFinishedEntriesBefore_deletesMoreThanOneBatch() throws Exception {
    JdbcStore store = db.store();
    int count = 10_003;
    store.enqueue(newEntries("done-", 0, count), T0, null);
    db.update("UPDATE " + db.table("queue") + " SET state = 'SENT'");

    int deleted = store.deleteFinishedEntriesBefore(T0.plus(Duration.ofDays(1)));

    assertThat(deleted).isEqualTo(count);
    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("queue"))).isZero();
  }

  /** Old delivery logs go in statements of at most 10,000 rows too, until none is left. */
  @Test
  void deleteLogsBefore_deletesMoreThanOneBatch() throws Exception {
    JdbcStore store = db.store();
    int count = 10_003;
    List<DeliveryLog> logs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      logs.add(new DeliveryLog("log-" + i, null, "permit_ready", null, "+6281234567890", null,
          "permit_ready", EntryState.SKIPPED, "blacklisted", null, null, null, 0, 1,
          dev.notify.core.DeliveryStatus.NONE, T0.plusMillis(i)));
    }
    store.appendLogs(logs);

    int deleted = store.deleteLogsBefore(T0.plus(Duration.ofDays(1)));

    assertThat(deleted).isEqualTo(count);
    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("delivery_log"))).isZero();
  }

  // ---- unreadable campaigns ----

  /**
   * Target parameters that are not a JSON object (or a state this version does not know) had thrown a raw
   * IllegalArgumentException out of campaigns(), naming no campaign, so the campaign runner ran none of them.
   */
  @Test
  void unreadableCampaigns_areLeftOutOfTheList_andFindingOneNamesItAndTheColumn() throws Exception {
    JdbcStore store = db.store();
    for (String id : List.of("good", "broken-params", "broken-state")) {
      store.saveCampaign(Campaign.builder(id, "Sosialisasi").targetSource("permits").templateKey("t").createdAt(T0).build());
    }
    db.update("UPDATE " + db.table("campaigns") + " SET target_params = '{\"region\": ' WHERE id = 'broken-params'");
    db.update("UPDATE " + db.table("campaigns") + " SET state = 'ARCHIVED' WHERE id = 'broken-state'");

    assertThat(store.campaigns()).extracting(Campaign::id).containsExactly("good");
    assertThatThrownBy(() -> store.findCampaign("broken-params")).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("campaign 'broken-params' cannot be read: stored target_params is unreadable: not valid JSON: ");
    assertThatThrownBy(() -> store.findCampaign("broken-state")).isInstanceOf(StoreException.class)
        .hasMessage("campaign 'broken-state' cannot be read: stored state 'ARCHIVED' is unreadable: not one of DRAFT,"
            + " SCHEDULED, RUNNING, PAUSED, COMPLETED, CANCELLED");
    assertThat(store.findCampaign("good")).isPresent();
  }

  // ---- a host's pool with auto-commit off ----

  /**
   * HikariCP with autoCommit=false and many Spring set-ups hand out connections in manual-commit mode. The store's
   * writes through Jdbi were never committed there, and the pool rolled them back when they were given back.
   */
  @Test
  void onAPoolWithAutoCommitOff_everyWriteIsCommitted_andConnectionsGoBackWithAutoCommitOff() throws Exception {
    List<String> givenBackWithAutoCommitOn = new ArrayList<>();
    JdbcStore store = db.custom(AutoCommitOffDataSource.wrap(db.newPool(), givenBackWithAutoCommitOn), b -> b);
    Instant tick = T0.plus(Duration.ofMinutes(5));

    store.start();
    store.saveBlacklist(BlacklistEntry.of("+6281234567890", "STOP", T0));
    List<Boolean> permits = List.of(store.tryAcquire("rule:once", T0, 1), store.tryAcquire("rule:once", T0, 1));
    List<Boolean> ticks = List.of(store.tryClaimTick("log-cleanup", tick, "node-a", tick, tick.plus(LEASE)),
        store.tryClaimTick("log-cleanup", tick, "node-b", tick, tick.plus(LEASE)));
    store.enqueue(List.of(newEntry(entry("e1"))), T0, null);
    store.claimDue(T0, 10, "node-a", T0.plus(LEASE));

    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("schema_version"))).as("migrated schema").isEqualTo(1);
    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("blacklist"))).as("opt-out").isEqualTo(1);
    assertThat(permits).as("a limit of 1, acquired twice").containsExactly(true, false);
    assertThat(ticks).as("one tick, claimed by two nodes").containsExactly(true, false);
    assertThat(db.count("SELECT COUNT(*) FROM " + db.table("queue") + " WHERE state = 'PROCESSING'")).as("claimed entry")
        .isEqualTo(1);
    assertThat(givenBackWithAutoCommitOn).as("connections given back with auto-commit on").isEmpty();
  }

  // ---- helpers ----

  static QueueEntry entry(String id) {
    return QueueEntry.builder().id(id).ruleName("permit_ready").recipient(Recipient.of("+6281234567890"))
        .templateKey("permit_ready").context(Map.of("permit_number", "503/" + id)).scheduledAt(T0).createdAt(T0).build();
  }

  static NewEntry newEntry(QueueEntry e) {
    return new NewEntry(e, null);
  }

  /** An entry with the dedupe key {@code key}, held for a day. */
  static NewEntry keyed(String id, String key) {
    return new NewEntry(entry(id).toBuilder().dedupeKey(key).build(), T0.plus(Duration.ofDays(1)));
  }

  /** 1,000 entries of priority 5 due in an hour ("later-<n>"), then 10 of priority 1 due at T0 ("due-<n>"). */
  static void enqueueDeferredAboveDue(JdbcStore store) {
    List<NewEntry> deferred = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      deferred.add(newEntry(entry("later-" + i).toBuilder().priority(5).scheduledAt(T0.plus(Duration.ofHours(1))).build()));
    }
    store.enqueue(deferred, T0, null);
    List<NewEntry> due = new ArrayList<>();
    for (int i = 0; i < 10; i++) due.add(newEntry(entry("due-" + i).toBuilder().priority(1).build()));
    store.enqueue(due, T0, null);
  }

  static List<NewEntry> newEntries(String prefix, int from, int count) {
    List<NewEntry> out = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) out.add(newEntry(entry(prefix + i)));
    return out;
  }
}
