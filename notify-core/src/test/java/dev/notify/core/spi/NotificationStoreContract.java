package dev.notify.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.notify.core.BlacklistEntry;
import dev.notify.core.Campaign;
import dev.notify.core.CampaignState;
import dev.notify.core.DeliveryLog;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.EntryState;
import dev.notify.core.JobRun;
import dev.notify.core.JobState;
import dev.notify.core.QueueEntry;
import dev.notify.core.QuietHours;
import dev.notify.core.RateLimit;
import dev.notify.core.Recipient;
import dev.notify.core.RecipientSpec;
import dev.notify.core.Recipients;
import dev.notify.core.Rule;
import dev.notify.core.Schedule;
import dev.notify.core.StoreException;
import dev.notify.core.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link NotificationStore} must have. Each implementation (in-memory, H2, PostgreSQL,
 * MariaDB) subclasses this suite and supplies {@link #createStore()}.
 *
 * <p>The suite uses only the SPI and the domain values; time is passed explicitly (never the wall clock), and
 * every instant is whole milliseconds: stores must keep at least millisecond precision. Ids, phones and keys are
 * short ASCII or UTF-8 text (context values include Indonesian text, emoji and quoting characters). Campaigns are
 * saved before entries or logs refer to them; rules and triggers named by entries and logs are not stored, so a
 * store must not require them.
 *
 * <p>Subclass it in the implementation's test sources:
 * <pre>{@code
 * class H2StoreContractTest extends NotificationStoreContract {
 *   protected NotificationStore createStore() { ... an empty, started store ... }
 *   protected void dropStore(NotificationStore s) { s.close(); ... drop the schema ... }
 * }
 * }</pre>
 */
public abstract class NotificationStoreContract {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration TICK_LEASE = Duration.ofMinutes(10);

  /** The store under test, fresh for each test. */
  protected NotificationStore store;

  /** A new, empty, started store; called once per test. */
  protected abstract NotificationStore createStore();

  /** Disposes of a store made by {@link #createStore()}; the default closes it. */
  protected void dropStore(NotificationStore s) {
    s.close();
  }

  /** The fixed "now" of the suite: a Monday morning in Jakarta. */
  protected Instant t0() {
    return Instant.parse("2026-01-05T08:00:00Z");
  }

  @BeforeEach
  void createStoreUnderTest() {
    store = createStore();
  }

  @AfterEach
  void dropStoreUnderTest() {
    if (store != null) dropStore(store);
  }

  // ================================================================ triggers

  @Test
  void saveTrigger_thenFind_roundTripsEveryFieldOfEachType() {
    List<Trigger> all = List.of(
        Trigger.onStateChange("permit_state_change", "permit").name("Izin berubah status").active(false)
            .stateField("status").stateFrom("draft").stateTo("approved").condition("record.amount > 100 && old.amount < 100")
            .build(),
        Trigger.onCreate("permit_created", "permit").build(),
        Trigger.onUpdate("permit_updated", "permit").condition("record.urgent == true").build(),
        Trigger.onFieldChange("address_changed", "partner", "address").build(),
        Trigger.cron("expiry_daily", "0 0 8 * * ?", "expiring_permits").name("Izin kedaluwarsa").build(),
        Trigger.manual("manual_blast").build());
    all.forEach(store::saveTrigger);

    for (Trigger t : all) assertThat(store.findTrigger(t.code())).contains(t);
  }

  @Test
  void saveTrigger_withAnExistingCode_replacesIt() {
    store.saveTrigger(Trigger.manual("blast").name("Old").build());
    Trigger replacement = Trigger.onCreate("blast", "report").name("New").build();

    store.saveTrigger(replacement);

    assertThat(store.findTrigger("blast")).contains(replacement);
    assertThat(store.triggers()).containsExactly(replacement);
  }

  @Test
  void triggers_listsEverySavedTrigger() {
    Trigger a = Trigger.manual("a").build();
    Trigger b = Trigger.onCreate("b", "permit").build();
    Trigger c = Trigger.cron("c", "0 0 2 * * ?", "src").build();
    store.saveTrigger(b);
    store.saveTrigger(a);
    store.saveTrigger(c);

    assertThat(store.triggers()).containsExactlyInAnyOrder(a, b, c);
  }

  @Test
  void deleteTrigger_removesItAndReportsWhetherItExisted() {
    store.saveTrigger(Trigger.manual("gone").build());
    store.saveTrigger(Trigger.manual("kept").build());

    assertThat(store.deleteTrigger("gone")).isTrue();
    assertThat(store.deleteTrigger("gone")).isFalse();
    assertThat(store.findTrigger("gone")).isEmpty();
    assertThat(store.triggers()).extracting(Trigger::code).containsExactly("kept");
  }

  @Test
  void findTrigger_unknownCode_isEmpty() {
    assertThat(store.findTrigger("nope")).isEmpty();
    assertThat(store.triggers()).isEmpty();
  }

  // ================================================================ rules

  @Test
  void saveRule_thenFind_roundTripsEveryField() {
    Rule rule = richRule("notify_permit_approved", Schedule.delayed(Duration.ofMinutes(90)));

    store.saveRule(rule);

    assertThat(store.findRule(rule.name())).contains(rule);
  }

  @Test
  void saveRule_keepsContextInDeclarationOrder() {
    store.saveRule(richRule("ordered", Schedule.immediate()));

    Rule found = store.findRule("ordered").orElseThrow();
    assertThat(found.context().keySet()).containsExactly("zeta_nomor", "alpha_nama", "mid_catatan", "beta_tanggal");
    assertThat(found.providers()).containsExactly("meta", "fonnte");
    assertThat(found.recipients()).extracting(RecipientSpec::type).containsExactly(
        RecipientSpec.Type.RECORD, RecipientSpec.Type.GROUP, RecipientSpec.Type.CUSTOM, RecipientSpec.Type.STATIC);
  }

  @Test
  void saveRule_roundTripsEachScheduleType() {
    List<Rule> all = List.of(
        richRule("immediate", Schedule.immediate()),
        richRule("delayed", Schedule.delayed(Duration.ofSeconds(45))),
        richRule("at", Schedule.at("record.expiresAt.minusDays(30)")),
        richRule("batch", Schedule.batch(50, Duration.ofMinutes(15))));
    all.forEach(store::saveRule);

    for (Rule r : all) assertThat(store.findRule(r.name()).orElseThrow().schedule()).isEqualTo(r.schedule());
  }

  @Test
  void saveRule_withOnlyRequiredSettings_readsBackTheDefaults() {
    Rule minimal = Rule.builder("minimal").trigger("t").template("tpl").recipients(Recipients.of("+6281234567890")).build();

    store.saveRule(minimal);

    Rule found = store.findRule("minimal").orElseThrow();
    assertThat(found).isEqualTo(minimal);
    assertThat(found.condition()).isEmpty();
    assertThat(found.rateLimit()).isEmpty();
    assertThat(found.quietHours()).isEmpty();
    assertThat(found.dedupeKey()).isEmpty();
    assertThat(found.contextPreparer()).isEmpty();
    assertThat(found.providers()).isEmpty();
    assertThat(found.context()).isEmpty();
    assertThat(found.priority()).isEqualTo(Rule.DEFAULT_PRIORITY);
  }

  @Test
  void saveRule_withAnExistingName_replacesIt() {
    store.saveRule(richRule("r", Schedule.immediate()));
    Rule replacement = Rule.builder("r").trigger("other").template("other_tpl").recipients(Recipients.group("staff")).build();

    store.saveRule(replacement);

    assertThat(store.findRule("r")).contains(replacement);
    assertThat(store.rules()).containsExactly(replacement);
  }

  @Test
  void rules_listsEverySavedRule() {
    Rule a = richRule("a", Schedule.immediate());
    Rule b = richRule("b", Schedule.batch(10, Duration.ofMinutes(1)));
    store.saveRule(b);
    store.saveRule(a);

    assertThat(store.rules()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void deleteRule_removesItAndReportsWhetherItExisted() {
    store.saveRule(richRule("gone", Schedule.immediate()));

    assertThat(store.deleteRule("gone")).isTrue();
    assertThat(store.deleteRule("gone")).isFalse();
    assertThat(store.findRule("gone")).isEmpty();
    assertThat(store.rules()).isEmpty();
  }

  // ================================================================ enqueue

  @Test
  void enqueue_returnsTheInsertedEntriesInInputOrder() {
    QueueEntry b = entry("b").build();
    QueueEntry a = entry("a").build();
    QueueEntry c = entry("c").build();

    List<QueueEntry> inserted = store.enqueue(List.of(newEntry(b), newEntry(a), newEntry(c)), t0(), null);

    assertThat(inserted).containsExactly(b, a, c);
  }

  @Test
  void findEntry_roundTripsEveryFieldOfAnEnqueuedEntry() {
    store.saveCampaign(campaign("camp-1", CampaignState.RUNNING));
    Map<String, String> context = new LinkedHashMap<>();
    context.put("partner_name", "Siti Nurhaliza binti Abdullah");
    context.put("permit_number", "503/IZN-DPMPTSP/I/2026");
    context.put("catatan", "Izin Anda telah terbit. Silakan ambil di loket 3 — terima kasih 🙏");
    context.put("special", "quote \" backslash \\ newline \n tab \t <b>&amp;</b> 'apos' {{not_a_var}} %s ${x}");
    context.put("kosong", "");
    QueueEntry e = QueueEntry.builder().id("entry-full").ruleName("notify_permit_approved").campaignId("camp-1")
        .recipient(Recipient.of("partner-42", "Siti Ñurhaliza Çakra", "+6281234567890"))
        .subject("permit", "PRM/2026/001").templateKey("permit_ready").context(context)
        .scheduledAt(t0().plusSeconds(30)).priority(8).maxRetries(4).respectBlacklist(false)
        .dedupeKey("permit:PRM/2026/001:approved").createdAt(t0()).updatedAt(t0()).build();

    store.enqueue(List.of(new NewEntry(e, t0().plus(HOUR))), t0(), null);

    QueueEntry found = store.findEntry("entry-full").orElseThrow();
    assertThat(found).isEqualTo(e);
    assertThat(found.context()).isEqualTo(context);
    assertThat(found.state()).isEqualTo(EntryState.PENDING);
    assertThat(found.deliveryStatus()).isEqualTo(DeliveryStatus.NONE);
  }

  @Test
  void enqueue_ofSeveralEntries_roundTripsEachWhetherItsFieldsDifferOrAreShared() {
    store.saveCampaign(campaign("camp-1", CampaignState.RUNNING));
    QueueEntry full = QueueEntry.builder().id("full").ruleName("notify_permit_approved").campaignId("camp-1")
        .recipient(Recipient.of("partner-42", "Siti Ñurhaliza", "+6281234567890"))
        .subject("permit", "PRM/2026/001").templateKey("permit_ready")
        .context(Map.of("catatan", "quote \" backslash \\ {x} 'a', \"b\"", "kosong", ""))
        .scheduledAt(t0().plusSeconds(30)).priority(8).maxRetries(4).respectBlacklist(false)
        .dedupeKey("permit:PRM/2026/001").createdAt(t0()).updatedAt(t0()).build();
    QueueEntry bare = QueueEntry.builder().id("bare").recipient(Recipient.of("+6281300000000")).templateKey("other")
        .scheduledAt(t0()).createdAt(t0().plusMillis(1)).build();
    QueueEntry twinA = entry("twin-a").build();
    QueueEntry twinB = entry("twin-b").build();

    store.enqueue(List.of(new NewEntry(full, t0().plus(HOUR)), new NewEntry(bare, null)), t0(), null);
    store.enqueue(List.of(new NewEntry(twinA, null), new NewEntry(twinB, null)), t0(), null);

    assertThat(store.findEntry("full")).contains(full);
    assertThat(store.findEntry("bare")).contains(bare);
    assertThat(store.findEntry("twin-a")).contains(twinA);
    assertThat(store.findEntry("twin-b")).contains(twinB);
  }

  @Test
  void findEntry_unknownId_isEmpty() {
    assertThat(store.findEntry("missing")).isEmpty();
  }

  @Test
  void enqueue_whileTheDedupeKeyIsBlocked_dropsTheEntry() {
    store.enqueue(List.of(new NewEntry(entry("first").dedupeKey("k").build(), t0().plus(HOUR))), t0(), null);

    List<QueueEntry> inserted = store.enqueue(
        List.of(new NewEntry(entry("second").dedupeKey("k").build(), t0().plus(Duration.ofHours(2)))),
        t0().plus(Duration.ofMinutes(30)), null);

    assertThat(inserted).isEmpty();
    assertThat(store.findEntry("second")).isEmpty();
  }

  @Test
  void enqueue_afterTheDedupeWindow_acceptsTheKeyAndBlocksItUntilTheNewWindow() {
    store.enqueue(List.of(new NewEntry(entry("first").dedupeKey("k").build(), t0().plus(HOUR))), t0(), null);

    Instant later = t0().plus(HOUR).plusSeconds(1);
    List<QueueEntry> second = store.enqueue(
        List.of(new NewEntry(entry("second").dedupeKey("k").build(), later.plus(HOUR))), later, null);
    List<QueueEntry> third = store.enqueue(
        List.of(new NewEntry(entry("third").dedupeKey("k").build(), later.plus(Duration.ofHours(5)))),
        later.plus(Duration.ofMinutes(59)), null);

    assertThat(second).extracting(QueueEntry::id).containsExactly("second");
    assertThat(third).isEmpty();
  }

  @Test
  void enqueue_exactlyWhenTheDedupeWindowEnds_acceptsTheKey() {
    store.enqueue(List.of(new NewEntry(entry("first").dedupeKey("k").build(), t0().plus(HOUR))), t0(), null);

    List<QueueEntry> inserted = store.enqueue(
        List.of(new NewEntry(entry("second").dedupeKey("k").build(), t0().plus(Duration.ofHours(2)))),
        t0().plus(HOUR), null);

    assertThat(inserted).extracting(QueueEntry::id).containsExactly("second");
  }

  @Test
  void enqueue_twoEntriesWithTheSameKeyInOneCall_keepsOnlyTheFirst() {
    List<QueueEntry> inserted = store.enqueue(List.of(
        new NewEntry(entry("a").dedupeKey("k").build(), t0().plus(HOUR)),
        new NewEntry(entry("b").dedupeKey("k").build(), t0().plus(HOUR)),
        new NewEntry(entry("c").dedupeKey("other").build(), t0().plus(HOUR)),
        newEntry(entry("d").build())), t0(), null);

    assertThat(inserted).extracting(QueueEntry::id).containsExactly("a", "c", "d");
    assertThat(store.findEntry("b")).isEmpty();
  }

  @Test
  void enqueue_withAnIdAlreadyStored_failsAndStoresNothingOfTheBatch() {
    store.enqueue(List.of(newEntry(entry("taken").build())), t0(), null);

    assertThatThrownBy(() -> store.enqueue(
        List.of(newEntry(entry("fresh").build()), newEntry(entry("taken").build())), t0(), null))
        .isInstanceOf(StoreException.class);

    assertThat(store.findEntry("fresh")).isEmpty();
    assertThat(store.countByState(null)).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.PENDING, 1L));
  }

  // ================================================================ claim

  @Test
  void claimDue_ordersByPriorityDescThenScheduledAtAsc() {
    enqueue(entry("low").priority(1).scheduledAt(t0().minusSeconds(60)).build(),
        entry("high-late").priority(9).scheduledAt(t0().plusSeconds(20)).build(),
        entry("mid").priority(5).scheduledAt(t0().minusSeconds(10)).build(),
        entry("high-early").priority(9).scheduledAt(t0().plusSeconds(10)).build());

    List<QueueEntry> claimed = store.claimDue(t0().plusSeconds(60), 10, "node-a", t0().plus(LEASE));

    assertThat(claimed).extracting(QueueEntry::id).containsExactly("high-early", "high-late", "mid", "low");
  }

  /** A priority whose entries are all deferred, or only partly due, does not hide the due entries below it. */
  @Test
  void claimDue_passesOverDeferredEntries_toTheDueEntriesOfLowerPriorities() {
    enqueue(entry("top-later").priority(9).scheduledAt(t0().plus(HOUR)).build(),
        entry("mid-due").priority(5).scheduledAt(t0().minusSeconds(5)).build(),
        entry("mid-later").priority(5).scheduledAt(t0().plus(HOUR)).build(),
        entry("low-due-2").priority(-3).scheduledAt(t0()).build(),
        entry("low-due-1").priority(-3).scheduledAt(t0().minusSeconds(30)).build(),
        entry("low-later").priority(-3).scheduledAt(t0().plusSeconds(1)).build());

    List<QueueEntry> two = store.claimDue(t0(), 2, "node-a", t0().plus(LEASE));
    List<QueueEntry> rest = store.claimDue(t0(), 10, "node-a", t0().plus(LEASE));

    assertThat(two).extracting(QueueEntry::id).containsExactly("mid-due", "low-due-1");
    assertThat(rest).extracting(QueueEntry::id).containsExactly("low-due-2");
  }

  @Test
  void claimDue_leavesEntriesThatAreNotYetDue() {
    enqueue(entry("now").scheduledAt(t0()).build(), entry("later").scheduledAt(t0().plus(HOUR)).build());

    Instant leaseUntil = t0().plus(Duration.ofDays(1));
    List<QueueEntry> first = store.claimDue(t0(), 10, "node-a", leaseUntil);
    List<QueueEntry> beforeDue = store.claimDue(t0().plus(HOUR).minusMillis(1), 10, "node-a", leaseUntil);
    List<QueueEntry> atDue = store.claimDue(t0().plus(HOUR), 10, "node-a", leaseUntil);

    assertThat(first).extracting(QueueEntry::id).containsExactly("now");
    assertThat(beforeDue).isEmpty();
    assertThat(atDue).extracting(QueueEntry::id).containsExactly("later");
  }

  @Test
  void claimDue_marksEntriesProcessingUnderTheOwnersLease() {
    enqueue(entry("e1").build());
    Instant leaseUntil = t0().plus(LEASE);

    QueueEntry claimed = store.claimDue(t0(), 10, "node-a", leaseUntil).get(0);

    assertThat(claimed.state()).isEqualTo(EntryState.PROCESSING);
    assertThat(claimed.leaseOwner()).isEqualTo("node-a");
    assertThat(claimed.leaseExpiry()).isEqualTo(leaseUntil);
    QueueEntry stored = store.findEntry("e1").orElseThrow();
    assertThat(stored.state()).isEqualTo(EntryState.PROCESSING);
    assertThat(stored.leaseOwner()).isEqualTo("node-a");
    assertThat(stored.leaseExpiry()).isEqualTo(leaseUntil);
  }

  @Test
  void claimDue_stampsTheEntryUpdatedAtTheClaimTime() {
    enqueue(entry("e1").build());
    Instant claimAt = t0().plusSeconds(7);

    QueueEntry claimed = store.claimDue(claimAt, 10, "node-a", claimAt.plus(LEASE)).get(0);

    assertThat(claimed.updatedAt()).isEqualTo(claimAt);
    assertThat(store.findEntry("e1").orElseThrow().updatedAt()).isEqualTo(claimAt);
  }

  @Test
  void claimDue_neverReturnsAnEntryWhileItsLeaseIsValid() {
    enqueue(entry("e1").build());
    claim(t0(), 10, "node-a");

    List<QueueEntry> second = claim(t0().plus(LEASE).minusSeconds(1), 10, "node-b");

    assertThat(second).isEmpty();
    assertThat(store.findEntry("e1").orElseThrow().leaseOwner()).isEqualTo("node-a");
  }

  @Test
  void claimDue_afterTheLeaseExpired_letsAnotherOwnerTakeTheEntry() {
    enqueue(entry("e1").build());
    claim(t0(), 10, "node-a");

    Instant later = t0().plus(LEASE).plusSeconds(1);
    List<QueueEntry> taken = store.claimDue(later, 10, "node-b", later.plus(LEASE));

    assertThat(taken).extracting(QueueEntry::id).containsExactly("e1");
    assertThat(taken.get(0).leaseOwner()).isEqualTo("node-b");
    assertThat(store.findEntry("e1").orElseThrow().leaseExpiry()).isEqualTo(later.plus(LEASE));
  }

  @Test
  void claimDue_returnsAtMostLimitEntries() {
    enqueue(entry("e1").build(), entry("e2").build(), entry("e3").build(), entry("e4").build(), entry("e5").build());

    assertThat(claim(t0(), 2, "n")).hasSize(2);
    assertThat(claim(t0(), 2, "n")).hasSize(2);
    assertThat(claim(t0(), 2, "n")).hasSize(1);
    assertThat(claim(t0(), 2, "n")).isEmpty();
  }

  @Test
  void claimDue_withANonPositiveLimit_isRefused() {
    assertThatThrownBy(() -> store.claimDue(t0(), 0, "n", t0().plus(LEASE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  // ================================================================ complete

  @Test
  void complete_terminalUpdate_appliesAndWritesItsLog() {
    enqueue(entry("e1").build());
    QueueEntry claimed = claim(t0(), 10, "node-a").get(0);
    Instant done = t0().plusSeconds(2);
    DeliveryLog log = log(claimed, EntryState.SENT, "wamid.1", done);

    List<String> applied = store.complete(List.of(new EntryUpdate("e1", "node-a", EntryState.SENT, 1,
        claimed.scheduledAt(), null, "meta", "wamid.1", done, log)));

    assertThat(applied).containsExactly("e1");
    QueueEntry stored = store.findEntry("e1").orElseThrow();
    assertThat(stored.state()).isEqualTo(EntryState.SENT);
    assertThat(stored.leaseOwner()).isNull();
    assertThat(stored.leaseExpiry()).isNull();
    assertThat(store.logs(LogQuery.all())).containsExactly(log);
  }

  @Test
  void complete_roundTripsEveryUpdatedField() {
    enqueue(entry("e1").build());
    QueueEntry claimed = claim(t0(), 10, "node-a").get(0);
    Instant done = t0().plusMillis(1_234);

    store.complete(List.of(new EntryUpdate("e1", "node-a", EntryState.FAILED, 3, claimed.scheduledAt(),
        "131026: Message undeliverable — nomor tidak terdaftar", "meta", "wamid.HBgM", done,
        log(claimed, EntryState.FAILED, "wamid.HBgM", done))));

    QueueEntry expected = claimed.toBuilder().state(EntryState.FAILED).attempts(3)
        .lastError("131026: Message undeliverable — nomor tidak terdaftar").provider("meta").externalId("wamid.HBgM")
        .lease(null, null).updatedAt(done).build();
    assertThat(store.findEntry("e1")).contains(expected);
  }

  @Test
  void complete_byAStaleOwner_isIgnoredAndWritesNoLog() {
    enqueue(entry("e1").build());
    QueueEntry claimedByA = claim(t0(), 10, "node-a").get(0);
    Instant later = t0().plus(LEASE).plusSeconds(1);
    store.claimDue(later, 10, "node-b", later.plus(LEASE));

    List<String> applied = store.complete(List.of(new EntryUpdate("e1", "node-a", EntryState.SENT, 1,
        claimedByA.scheduledAt(), null, "meta", "wamid.stale", later, log(claimedByA, EntryState.SENT, "wamid.stale", later))));

    assertThat(applied).isEmpty();
    QueueEntry stored = store.findEntry("e1").orElseThrow();
    assertThat(stored.state()).isEqualTo(EntryState.PROCESSING);
    assertThat(stored.leaseOwner()).isEqualTo("node-b");
    assertThat(store.logs(LogQuery.all())).isEmpty();
    assertThat(store.findByExternalId("meta", "wamid.stale")).isEmpty();
  }

  @Test
  void complete_returnsOnlyTheIdsOfUpdatesThatApplied() {
    enqueue(entry("claimed").priority(9).build(), entry("never-claimed").build());
    QueueEntry claimed = store.claimDue(t0(), 1, "node-a", t0().plus(LEASE)).get(0);
    assertThat(claimed.id()).isEqualTo("claimed");
    Instant done = t0().plusSeconds(1);

    List<String> applied = store.complete(List.of(
        skipped("missing", "node-a", done),
        skipped("never-claimed", "node-a", done),
        skipped("claimed", "node-a", done)));

    assertThat(applied).containsExactly("claimed");
    assertThat(store.findEntry("never-claimed").orElseThrow().state()).isEqualTo(EntryState.PENDING);
    assertThat(store.logs(LogQuery.all())).extracting(DeliveryLog::entryId).containsExactly("claimed");
  }

  @Test
  void complete_pendingUpdate_reschedulesAndClearsTheLease() {
    enqueue(entry("e1").build());
    claim(t0(), 10, "node-a");
    Instant retryAt = t0().plus(Duration.ofMinutes(10));

    List<String> applied = store.complete(List.of(new EntryUpdate("e1", "node-a", EntryState.PENDING, 1, retryAt,
        "timeout after 10s", "fonnte", null, t0().plusSeconds(10), null)));

    assertThat(applied).containsExactly("e1");
    QueueEntry stored = store.findEntry("e1").orElseThrow();
    assertThat(stored.state()).isEqualTo(EntryState.PENDING);
    assertThat(stored.scheduledAt()).isEqualTo(retryAt);
    assertThat(stored.attempts()).isEqualTo(1);
    assertThat(stored.lastError()).isEqualTo("timeout after 10s");
    assertThat(stored.leaseOwner()).isNull();
    assertThat(stored.leaseExpiry()).isNull();
    assertThat(claim(retryAt.minusSeconds(1), 10, "node-b")).isEmpty();
    assertThat(claim(retryAt, 10, "node-b")).extracting(QueueEntry::id, QueueEntry::attempts)
        .containsExactly(tuple("e1", 1));
    assertThat(store.logs(LogQuery.all())).isEmpty();
  }

  // ================================================================ completeAndClaim

  @Test
  void completeAndClaim_storesTheOutcomesWithTheirLogsAndClaimsTheNextDueEntries() {
    enqueue(entry("first").priority(9).build(), entry("second").build(), entry("third").build());
    QueueEntry claimed = store.claimDue(t0(), 1, "node-a", t0().plus(LEASE)).get(0);
    Instant done = t0().plusSeconds(1);
    DeliveryLog log = log(claimed, EntryState.SENT, "wamid.1", done);

    List<QueueEntry> next = store.completeAndClaim(List.of(new EntryUpdate("first", "node-a", EntryState.SENT, 1,
        claimed.scheduledAt(), null, "meta", "wamid.1", done, log)), done, 10, "node-a", done.plus(LEASE));

    assertThat(next).extracting(QueueEntry::id).containsExactly("second", "third");
    assertThat(next).allSatisfy(e -> assertThat(e.leaseOwner()).isEqualTo("node-a"));
    QueueEntry first = store.findEntry("first").orElseThrow();
    assertThat(first.state()).isEqualTo(EntryState.SENT);
    assertThat(first.leaseOwner()).isNull();
    assertThat(store.logs(LogQuery.all())).containsExactly(log);
  }

  @Test
  void completeAndClaim_aRetryThatIsDueAgain_isClaimedByTheSameCall() {
    enqueue(entry("e1").build());
    claim(t0(), 10, "node-a");
    Instant retryAt = t0().plusSeconds(1);

    List<QueueEntry> next = store.completeAndClaim(List.of(new EntryUpdate("e1", "node-a", EntryState.PENDING, 1, retryAt,
        "timeout after 10s", "fonnte", null, retryAt, null)), retryAt, 10, "node-a", retryAt.plus(LEASE));

    assertThat(next).extracting(QueueEntry::id, QueueEntry::attempts, QueueEntry::lastError)
        .containsExactly(tuple("e1", 1, "timeout after 10s"));
  }

  @Test
  void completeAndClaim_byAStaleOwner_appliesNothingAndStillClaims() {
    enqueue(entry("e1").build(), entry("e2").scheduledAt(t0().plus(LEASE).plusSeconds(1)).build());
    QueueEntry claimedByA = claim(t0(), 1, "node-a").get(0);
    Instant later = t0().plus(LEASE).plusSeconds(1);
    store.claimDue(later, 1, "node-b", later.plus(LEASE)); // takes e1 over (its lease expired)

    List<QueueEntry> next = store.completeAndClaim(List.of(new EntryUpdate("e1", "node-a", EntryState.SENT, 1,
        claimedByA.scheduledAt(), null, "meta", "wamid.stale", later, log(claimedByA, EntryState.SENT, "wamid.stale", later))),
        later, 10, "node-a", later.plus(LEASE));

    assertThat(next).extracting(QueueEntry::id).containsExactly("e2");
    assertThat(store.findEntry("e1").orElseThrow().leaseOwner()).isEqualTo("node-b");
    assertThat(store.logs(LogQuery.all())).isEmpty();
  }

  @Test
  void completeAndClaim_withLimitZero_onlyStoresTheOutcomes() {
    enqueue(entry("e1").build(), entry("e2").build());
    QueueEntry claimed = store.claimDue(t0(), 1, "node-a", t0().plus(LEASE)).get(0);
    Instant done = t0().plusSeconds(1);

    List<QueueEntry> next = store.completeAndClaim(List.of(skipped(claimed.id(), "node-a", done)), done, 0, "node-a",
        done.plus(LEASE));

    assertThat(next).isEmpty();
    assertThat(store.findEntry(claimed.id()).orElseThrow().state()).isEqualTo(EntryState.SKIPPED);
    assertThat(store.countByState(null)).containsEntry(EntryState.PENDING, 1L);
  }

  @Test
  void completeAndClaim_withANegativeLimit_isRefusedAndChangesNothing() {
    enqueue(entry("e1").build());
    QueueEntry claimed = claim(t0(), 10, "node-a").get(0);
    Instant done = t0().plusSeconds(1);

    assertThatThrownBy(() -> store.completeAndClaim(List.of(skipped(claimed.id(), "node-a", done)), done, -1, "node-a",
        done.plus(LEASE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThat(store.findEntry("e1").orElseThrow().state()).isEqualTo(EntryState.PROCESSING);
  }

  // ================================================================ leases

  @Test
  void releaseLeases_returnsOnlyTheOwnersEntriesToPending() {
    enqueue(entry("a1").priority(9).build(), entry("a2").priority(8).build(), entry("b1").priority(1).build());
    store.claimDue(t0(), 2, "node-a", t0().plus(LEASE));
    store.claimDue(t0(), 2, "node-b", t0().plus(LEASE));

    int released = store.releaseLeases("node-a");

    assertThat(released).isEqualTo(2);
    for (String id : List.of("a1", "a2")) {
      QueueEntry e = store.findEntry(id).orElseThrow();
      assertThat(e.state()).isEqualTo(EntryState.PENDING);
      assertThat(e.leaseOwner()).isNull();
      assertThat(e.leaseExpiry()).isNull();
    }
    assertThat(store.findEntry("b1").orElseThrow().leaseOwner()).isEqualTo("node-b");
    assertThat(claim(t0().plusSeconds(1), 10, "node-c")).extracting(QueueEntry::id).containsExactly("a1", "a2");
  }

  @Test
  void releaseLeases_ofAnOwnerWithoutLeases_releasesNothing() {
    enqueue(entry("e1").build());
    claim(t0(), 10, "node-a");

    assertThat(store.releaseLeases("node-z")).isZero();
    assertThat(store.findEntry("e1").orElseThrow().state()).isEqualTo(EntryState.PROCESSING);
  }

  // ================================================================ reading the queue

  @Test
  void entries_filtersByStateAndOrdersByCreatedAtThenId() {
    enqueue(entry("c").createdAt(t0().plusSeconds(2)).build(),
        entry("b").createdAt(t0()).build(),
        entry("a").createdAt(t0()).build(),
        entry("x").priority(10).createdAt(t0().plusSeconds(1)).build());
    claim(t0().plusSeconds(5), 1, "node-a");

    assertThat(store.entries(EntryState.PENDING, 10)).extracting(QueueEntry::id).containsExactly("a", "b", "c");
    assertThat(store.entries(EntryState.PROCESSING, 10)).extracting(QueueEntry::id).containsExactly("x");
    assertThat(store.entries(EntryState.SENT, 10)).isEmpty();
  }

  @Test
  void entries_withoutState_returnsAllUpToTheLimit() {
    enqueue(entry("c").createdAt(t0().plusSeconds(2)).build(),
        entry("a").createdAt(t0()).build(),
        entry("b").createdAt(t0().plusSeconds(1)).build());

    assertThat(store.entries(null, 10)).extracting(QueueEntry::id).containsExactly("a", "b", "c");
    assertThat(store.entries(null, 2)).extracting(QueueEntry::id).containsExactly("a", "b");
  }

  @Test
  void campaignEntries_returnsOnlyThatCampaignsEntriesInCreationOrder() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    store.saveCampaign(campaign("c2", CampaignState.RUNNING));
    enqueue(entry("c1-late").campaignId("c1").createdAt(t0().plusSeconds(5)).build(),
        entry("c1-early").campaignId("c1").createdAt(t0()).build(),
        entry("c2-only").campaignId("c2").build(),
        entry("no-campaign").build());

    assertThat(store.campaignEntries("c1", 10)).extracting(QueueEntry::id).containsExactly("c1-early", "c1-late");
    assertThat(store.campaignEntries("c1", 1)).extracting(QueueEntry::id).containsExactly("c1-early");
    assertThat(store.campaignEntries("unknown", 10)).isEmpty();
  }

  @Test
  void findByExternalId_findsTheEntrySentWithThatId() {
    enqueue(entry("e1").build(), entry("e2").build());
    sendAll(t0(), "wamid.");

    assertThat(store.findByExternalId("meta", "wamid.e2")).map(QueueEntry::id).contains("e2");
    assertThat(store.findByExternalId("meta", "wamid.unknown")).isEmpty();
  }

  // ================================================================ delivery status

  @Test
  void updateDeliveryStatus_movesForwardOnTheEntryAndItsLog() {
    enqueue(entry("e1").build());
    sendAll(t0(), "wamid.");
    Instant delivered = t0().plus(Duration.ofMinutes(1));

    boolean changed = store.updateDeliveryStatus("meta", "wamid.e1", DeliveryStatus.DELIVERED, delivered, null);
    boolean read = store.updateDeliveryStatus("meta", "wamid.e1", DeliveryStatus.READ, delivered.plusSeconds(30), null);

    assertThat(changed).isTrue();
    assertThat(read).isTrue();
    assertThat(store.findEntry("e1").orElseThrow().deliveryStatus()).isEqualTo(DeliveryStatus.READ);
    assertThat(store.logs(LogQuery.all())).singleElement()
        .extracting(DeliveryLog::deliveryStatus).isEqualTo(DeliveryStatus.READ);
  }

  @Test
  void updateDeliveryStatus_replayOrStepBack_changesNothing() {
    enqueue(entry("e1").build());
    sendAll(t0(), "wamid.");
    store.updateDeliveryStatus("meta", "wamid.e1", DeliveryStatus.READ, t0().plusSeconds(60), null);
    QueueEntry before = store.findEntry("e1").orElseThrow();

    boolean replay = store.updateDeliveryStatus("meta", "wamid.e1", DeliveryStatus.READ, t0().plusSeconds(90), null);
    boolean back = store.updateDeliveryStatus("meta", "wamid.e1", DeliveryStatus.DELIVERED, t0().plusSeconds(95), null);

    assertThat(replay).isFalse();
    assertThat(back).isFalse();
    assertThat(store.findEntry("e1")).contains(before);
    assertThat(store.logs(LogQuery.all())).singleElement()
        .extracting(DeliveryLog::deliveryStatus).isEqualTo(DeliveryStatus.READ);
  }

  @Test
  void updateDeliveryStatus_failed_keepsTheProvidersError() {
    enqueue(entry("e1").build());
    sendAll(t0(), "wamid.");

    boolean changed = store.updateDeliveryStatus("meta", "wamid.e1", DeliveryStatus.FAILED, t0().plusSeconds(60),
        "131047: Re-engagement message");

    assertThat(changed).isTrue();
    QueueEntry e = store.findEntry("e1").orElseThrow();
    assertThat(e.deliveryStatus()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(e.lastError()).isEqualTo("131047: Re-engagement message");
    assertThat(e.state()).isEqualTo(EntryState.SENT);
  }

  /** Before, H2 sized a list by the limit: a claim of "all due" (Integer.MAX_VALUE) was an OutOfMemoryError. */
  @Test
  void claimDue_withTheLargestLimit_claimsEveryDueEntry() {
    enqueue(entry("e1").build(), entry("e2").build());

    assertThat(store.claimDue(t0(), Integer.MAX_VALUE, "node-a", t0().plus(LEASE))).extracting(QueueEntry::id)
        .containsExactlyInAnyOrder("e1", "e2");
  }

  /** Before, a status from any provider's webhook changed the entry another provider sent with that id. */
  @Test
  void updateDeliveryStatus_fromAnotherProvider_changesNothing() {
    enqueue(entry("e1").build());
    sendAll(t0(), "wamid.");

    assertThat(store.updateDeliveryStatus("fonnte", "wamid.e1", DeliveryStatus.FAILED, t0().plusSeconds(60), "forged")).isFalse();

    assertThat(store.findByExternalId("fonnte", "wamid.e1")).isEmpty();
    QueueEntry e = store.findEntry("e1").orElseThrow();
    assertThat(e.deliveryStatus()).isEqualTo(DeliveryStatus.NONE);
    assertThat(e.lastError()).isNull();
    assertThat(store.logs(LogQuery.all())).singleElement().extracting(DeliveryLog::deliveryStatus).isEqualTo(DeliveryStatus.NONE);
  }

  @Test
  void updateDeliveryStatus_forAnUnknownExternalId_returnsFalse() {
    assertThat(store.updateDeliveryStatus("meta", "wamid.nobody", DeliveryStatus.DELIVERED, t0(), null)).isFalse();
  }

  // ================================================================ campaigns and the queue

  @Test
  void cancelCampaignEntries_cancelsOnlyThatCampaignsPendingEntriesAndLogsEach() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    store.saveCampaign(campaign("c2", CampaignState.RUNNING));
    enqueue(entry("c1-busy").campaignId("c1").priority(10).build(),
        entry("c1-due").campaignId("c1").build(),
        entry("c1-later").campaignId("c1").scheduledAt(t0().plus(Duration.ofMinutes(30))).build(),
        entry("c2-due").campaignId("c2").build());
    store.claimDue(t0(), 1, "node-a", t0().plus(Duration.ofDays(1)));
    Instant cancelAt = t0().plusSeconds(10);

    int cancelled = store.cancelCampaignEntries("c1", cancelAt);

    assertThat(cancelled).isEqualTo(2);
    for (String id : List.of("c1-due", "c1-later")) {
      QueueEntry e = store.findEntry(id).orElseThrow();
      assertThat(e.state()).isEqualTo(EntryState.CANCELLED);
      assertThat(e.updatedAt()).isEqualTo(cancelAt);
    }
    assertThat(store.findEntry("c1-busy").orElseThrow().state()).isEqualTo(EntryState.PROCESSING);
    assertThat(store.findEntry("c2-due").orElseThrow().state()).isEqualTo(EntryState.PENDING);
    List<DeliveryLog> logs = store.logs(LogQuery.all().withCampaign("c1"));
    assertThat(logs).extracting(DeliveryLog::entryId).containsExactlyInAnyOrder("c1-due", "c1-later");
    assertThat(logs).allSatisfy(l -> {
      assertThat(l.state()).isEqualTo(EntryState.CANCELLED);
      assertThat(l.reason()).isEqualTo("campaign_cancelled");
      assertThat(l.createdAt()).isEqualTo(cancelAt);
      assertThat(l.phone()).isEqualTo(store.findEntry(l.entryId()).orElseThrow().recipient().phone());
    });
    assertThat(claim(t0().plus(HOUR), 10, "node-b")).extracting(QueueEntry::id).containsExactly("c2-due");
  }

  @Test
  void countByState_countsAllEntriesOrOneCampaignsAndOmitsEmptyStates() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").priority(10).build(),
        entry("c1-b").campaignId("c1").priority(9).build(),
        entry("plain-a").build(),
        entry("plain-b").build());
    sendAll(t0(), "wamid.", 1);
    claim(t0(), 1, "node-a");

    assertThat(store.countByState(null)).containsExactlyInAnyOrderEntriesOf(Map.of(
        EntryState.SENT, 1L, EntryState.PROCESSING, 1L, EntryState.PENDING, 2L));
    assertThat(store.countByState("c1")).containsExactlyInAnyOrderEntriesOf(Map.of(
        EntryState.SENT, 1L, EntryState.PROCESSING, 1L));
    assertThat(store.countByState("unknown")).isEmpty();
  }

  @Test
  void queueDepth_countsPendingEntriesDueAtNow() {
    enqueue(entry("busy").priority(10).build(),
        entry("overdue").scheduledAt(t0().minusSeconds(60)).build(),
        entry("due").scheduledAt(t0()).build(),
        entry("later").scheduledAt(t0().plus(HOUR)).build());
    claim(t0(), 1, "node-a");

    assertThat(store.queueDepth(t0().minusSeconds(61))).isZero();
    assertThat(store.queueDepth(t0())).isEqualTo(2);
    assertThat(store.queueDepth(t0().plus(HOUR))).isEqualTo(3);
  }

  @Test
  void oldestDueAndNextDue_reportTheEarliestPendingScheduledAt() {
    enqueue(entry("busy").priority(10).scheduledAt(t0().minus(HOUR)).build(),
        entry("soon").scheduledAt(t0().plus(Duration.ofMinutes(10))).build(),
        entry("later").scheduledAt(t0().plus(HOUR)).build());
    claim(t0(), 10, "node-a");

    assertThat(store.nextDue()).contains(t0().plus(Duration.ofMinutes(10)));
    assertThat(store.oldestDue(t0())).isEmpty();
    assertThat(store.oldestDue(t0().plus(Duration.ofMinutes(30)))).contains(t0().plus(Duration.ofMinutes(10)));
  }

  @Test
  void oldestDueAndNextDue_findTheEarliestAcrossPriorities() {
    enqueue(entry("high").priority(9).scheduledAt(t0().plus(Duration.ofMinutes(30))).build(),
        entry("mid-late").priority(5).scheduledAt(t0().plus(Duration.ofMinutes(50))).build(),
        entry("mid").priority(5).scheduledAt(t0().plus(Duration.ofMinutes(10))).build(),
        entry("low").priority(1).scheduledAt(t0().plus(Duration.ofMinutes(20))).build());

    assertThat(store.nextDue()).contains(t0().plus(Duration.ofMinutes(10)));
    assertThat(store.oldestDue(t0().plus(Duration.ofMinutes(5)))).isEmpty();
    assertThat(store.oldestDue(t0().plus(Duration.ofMinutes(25)))).contains(t0().plus(Duration.ofMinutes(10)));

    claim(t0().plus(Duration.ofMinutes(15)), 1, "node-a"); // takes "mid"
    assertThat(store.nextDue()).contains(t0().plus(Duration.ofMinutes(20)));
    assertThat(store.oldestDue(t0().plus(Duration.ofMinutes(25)))).contains(t0().plus(Duration.ofMinutes(20)));
  }

  @Test
  void oldestDueAndNextDue_withNothingPending_areEmpty() {
    assertThat(store.nextDue()).isEmpty();
    assertThat(store.oldestDue(t0())).isEmpty();
    assertThat(store.queueDepth(t0())).isZero();

    enqueue(entry("e1").build());
    sendAll(t0(), "wamid.");

    assertThat(store.nextDue()).isEmpty();
    assertThat(store.oldestDue(t0().plus(HOUR))).isEmpty();
  }

  @Test
  void claimDue_neverClaimsEntriesOfAPausedCampaign() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").priority(9).build(),
        entry("c1-b").campaignId("c1").priority(9).build(),
        entry("plain").priority(1).build());
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.PAUSED, t0());

    List<QueueEntry> first = claim(t0(), 10, "node-a");
    List<QueueEntry> second = claim(t0().plusSeconds(1), 10, "node-a");

    assertThat(first).extracting(QueueEntry::id).containsExactly("plain");
    assertThat(second).isEmpty();
    assertThat(store.findEntry("c1-a").orElseThrow().state()).isEqualTo(EntryState.PENDING);
    assertThat(store.countByState("c1")).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.PENDING, 2L));
  }

  @Test
  void pausedCampaign_afterResume_hasItsEntriesClaimedAgain() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").build(), entry("c1-b").campaignId("c1").build());
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.PAUSED, t0());
    assertThat(claim(t0(), 10, "node-a")).isEmpty();

    store.transitionCampaign("c1", CampaignState.PAUSED, CampaignState.RUNNING, t0().plusSeconds(5));

    assertThat(claim(t0().plusSeconds(6), 10, "node-a")).extracting(QueueEntry::id)
        .containsExactlyInAnyOrder("c1-a", "c1-b");
  }

  @Test
  void pausedCampaign_entriesFallingDueWhilePaused_waitForTheResume() {
    store.saveCampaign(campaign("c1", CampaignState.PAUSED));
    enqueue(entry("c1-later").campaignId("c1").scheduledAt(t0().plus(HOUR)).build());

    assertThat(claim(t0().plus(Duration.ofHours(2)), 10, "node-a")).isEmpty();
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));

    assertThat(claim(t0().plus(Duration.ofHours(2)), 10, "node-a")).extracting(QueueEntry::id)
        .containsExactly("c1-later");
  }

  @Test
  void pausedCampaign_entriesAreListedAsPending() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").build(), entry("plain").build());
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.PAUSED, t0());

    assertThat(store.entries(EntryState.PENDING, 10)).extracting(QueueEntry::id).containsExactlyInAnyOrder("c1-a", "plain");
    assertThat(store.campaignEntries("c1", 10)).extracting(QueueEntry::state).containsExactly(EntryState.PENDING);
  }

  @Test
  void pausedCampaign_savedAsRunning_hasItsEntriesClaimedAgain() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").build());
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.PAUSED, t0());

    store.saveCampaign(campaign("c1", CampaignState.RUNNING));

    assertThat(claim(t0().plusSeconds(1), 10, "node-a")).extracting(QueueEntry::id).containsExactly("c1-a");
  }

  @Test
  void cancelCampaignEntries_ofAPausedCampaign_cancelsTheEntriesClaimsPassedOver() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").build(), entry("c1-b").campaignId("c1").build());
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.PAUSED, t0());
    claim(t0(), 10, "node-a");

    int cancelled = store.cancelCampaignEntries("c1", t0().plusSeconds(1));
    store.transitionCampaign("c1", CampaignState.PAUSED, CampaignState.CANCELLED, t0().plusSeconds(1));

    assertThat(cancelled).isEqualTo(2);
    assertThat(claim(t0().plusSeconds(2), 10, "node-a")).isEmpty();
    assertThat(store.countByState("c1")).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.CANCELLED, 2L));
  }

  /**
   * An entry in flight when its campaign was cancelled, whose send then failed and is to be retried, went back to
   * PENDING and was claimed and sent again for the cancelled campaign.
   */
  @Test
  void claimDue_neverClaimsEntriesOfACancelledCampaign_soARetryAfterTheCancelIsCancelledNotSent() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").build());
    claim(t0(), 10, "node-a");
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.CANCELLED, t0().plusSeconds(1));
    assertThat(store.cancelCampaignEntries("c1", t0().plusSeconds(1))).as("being sent").isZero();
    store.complete(List.of(new EntryUpdate("c1-a", "node-a", EntryState.PENDING, 1, t0().plusSeconds(2), "timeout",
        "recording", null, t0().plusSeconds(2), null)));

    assertThat(claim(t0().plusSeconds(3), 10, "node-b")).isEmpty();
    assertThat(store.cancelCampaignEntries("c1", t0().plusSeconds(4))).isEqualTo(1);
    assertThat(store.findEntry("c1-a").orElseThrow().state()).isEqualTo(EntryState.CANCELLED);
  }

  /** A node that died sending a campaign's entry leaves it PROCESSING; after the cancel, nothing else would end it. */
  @Test
  void cancelCampaignEntries_alsoCancelsEntriesWhoseLeaseExpired() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").build());
    claim(t0(), 10, "node-a");
    Instant afterLease = t0().plus(LEASE).plusSeconds(1);
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.CANCELLED, afterLease);

    int cancelled = store.cancelCampaignEntries("c1", afterLease);

    assertThat(cancelled).isEqualTo(1);
    QueueEntry e = store.findEntry("c1-a").orElseThrow();
    assertThat(e.state()).isEqualTo(EntryState.CANCELLED);
    assertThat(e.leaseOwner()).isNull();
    assertThat(e.leaseExpiry()).isNull();
    assertThat(store.logs(LogQuery.all().withCampaign("c1"))).singleElement()
        .satisfies(l -> assertThat(l.reason()).isEqualTo("campaign_cancelled"));
    assertThat(claim(afterLease.plusSeconds(1), 10, "node-b")).isEmpty();
  }

  /** Cancelling is two steps (the campaign, then its entries): a claim in between must not take the parked ones. */
  @Test
  void pausedCampaign_cancelled_hasNoEntryClaimedBeforeItsEntriesAreCancelled() {
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("c1-a").campaignId("c1").build(), entry("c1-b").campaignId("c1").build());
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.PAUSED, t0());
    claim(t0(), 10, "node-a");

    store.transitionCampaign("c1", CampaignState.PAUSED, CampaignState.CANCELLED, t0().plusSeconds(1));

    assertThat(claim(t0().plusSeconds(2), 10, "node-a")).isEmpty();
    assertThat(store.cancelCampaignEntries("c1", t0().plusSeconds(3))).isEqualTo(2);
  }

  // ================================================================ delivery logs

  @Test
  void appendLogs_roundTripsEveryField() {
    store.saveCampaign(campaign("camp-1", CampaignState.RUNNING));
    enqueue(entry("entry-9").campaignId("camp-1").build());
    DeliveryLog full = new DeliveryLog("log-full", "entry-9", "notify_permit_approved", "camp-1", "+6281234567890",
        "Siti Ñurhaliza", "permit_ready", EntryState.SENT, "accepted",
        "Yth. Siti, izin 503/IZN/2026 telah terbit — terima kasih 🙏 \"quoted\"", "meta", "wamid.HBgM", 2, 1_234,
        DeliveryStatus.DELIVERED, t0().plusMillis(7));
    DeliveryLog sparse = new DeliveryLog("log-sparse", null, null, null, "0812-invalid", null, "permit_ready",
        EntryState.SKIPPED, "invalid_phone", null, null, null, 0, 0, DeliveryStatus.NONE, t0());

    store.appendLogs(List.of(full, sparse));

    assertThat(store.logs(LogQuery.all())).containsExactly(sparse, full);
  }

  @Test
  void logs_areOrderedByCreatedAtThenId() {
    store.appendLogs(List.of(skippedLog("late", t0().plusSeconds(2)), skippedLog("b", t0()), skippedLog("a", t0()),
        skippedLog("mid", t0().plusMillis(1))));

    assertThat(store.logs(LogQuery.all())).extracting(DeliveryLog::id).containsExactly("a", "b", "mid", "late");
  }

  @Test
  void logs_betweenFromInclusiveAndToExclusive() {
    store.appendLogs(List.of(skippedLog("before", t0().minusMillis(1)), skippedLog("at-from", t0()),
        skippedLog("inside", t0().plus(Duration.ofMinutes(30))), skippedLog("at-to", t0().plus(HOUR))));

    assertThat(store.logs(LogQuery.between(t0(), t0().plus(HOUR)))).extracting(DeliveryLog::id)
        .containsExactly("at-from", "inside");
    assertThat(store.logs(new LogQuery(t0(), null, null, null, null, null, 100))).extracting(DeliveryLog::id)
        .containsExactly("at-from", "inside", "at-to");
    assertThat(store.logs(new LogQuery(null, t0(), null, null, null, null, 100))).extracting(DeliveryLog::id)
        .containsExactly("before");
  }

  @Test
  void logs_filterByRuleCampaignStateAndPhone() {
    store.saveCampaign(campaign("camp-1", CampaignState.RUNNING));
    store.appendLogs(List.of(
        new DeliveryLog("1", null, "rule-a", "camp-1", "+6281111111111", null, "t", EntryState.SENT, null, null, null,
            null, 1, 5, DeliveryStatus.NONE, t0()),
        new DeliveryLog("2", null, "rule-b", "camp-1", "+6282222222222", null, "t", EntryState.FAILED, "131026", null,
            null, null, 1, 5, DeliveryStatus.NONE, t0().plusSeconds(1)),
        new DeliveryLog("3", null, "rule-a", null, "+6282222222222", null, "t", EntryState.SKIPPED, "blacklisted", null,
            null, null, 0, 0, DeliveryStatus.NONE, t0().plusSeconds(2))));

    assertThat(store.logs(LogQuery.all().withRule("rule-a"))).extracting(DeliveryLog::id).containsExactly("1", "3");
    assertThat(store.logs(LogQuery.all().withCampaign("camp-1"))).extracting(DeliveryLog::id).containsExactly("1", "2");
    assertThat(store.logs(LogQuery.all().withState(EntryState.FAILED))).extracting(DeliveryLog::id).containsExactly("2");
    assertThat(store.logs(LogQuery.all().withPhone("+6282222222222"))).extracting(DeliveryLog::id).containsExactly("2", "3");
    assertThat(store.logs(LogQuery.all().withRule("rule-a").withPhone("+6282222222222")))
        .extracting(DeliveryLog::id).containsExactly("3");
    assertThat(store.logs(LogQuery.all().withRule("nobody"))).isEmpty();
  }

  @Test
  void logs_returnAtMostTheLimitOldestFirst() {
    for (int i = 0; i < 5; i++) store.appendLogs(List.of(skippedLog("log-" + i, t0().plusSeconds(i))));

    assertThat(store.logs(LogQuery.all().withLimit(2))).extracting(DeliveryLog::id).containsExactly("log-0", "log-1");
  }

  @Test
  void deleteLogsBefore_deletesOnlyOlderLogsAndCountsThem() {
    store.appendLogs(List.of(skippedLog("old", t0()), skippedLog("older-still", t0().minus(Duration.ofDays(91))),
        skippedLog("at-cutoff", t0().plus(HOUR)), skippedLog("new", t0().plus(Duration.ofHours(2)))));

    int deleted = store.deleteLogsBefore(t0().plus(HOUR));

    assertThat(deleted).isEqualTo(2);
    assertThat(store.logs(LogQuery.all())).extracting(DeliveryLog::id).containsExactly("at-cutoff", "new");
    assertThat(store.deleteLogsBefore(t0().plus(HOUR))).isZero();
  }

  @Test
  void deleteFinishedEntriesBefore_deletesOnlyFinishedEntriesOfNoCampaignLastUpdatedBeforeTheCutoff() {
    Instant cutoff = t0().plus(Duration.ofDays(1));
    Instant later = cutoff.plus(HOUR);
    store.saveCampaign(campaign("c1", CampaignState.RUNNING));
    enqueue(entry("sent").build(), entry("failed").build(), entry("campaign-sent").campaignId("c1").build());
    finish(claim(t0(), 10, "a"), "a", t0().plusSeconds(1), "failed");
    enqueue(entry("sent-after-cutoff").build());
    finish(claim(later, 10, "c"), "c", later.plusSeconds(1), null);
    enqueue(entry("processing").build());
    claim(t0(), 10, "b");
    enqueue(entry("pending").scheduledAt(t0().plus(Duration.ofDays(2))).build());

    int deleted = store.deleteFinishedEntriesBefore(cutoff);

    assertThat(deleted).isEqualTo(2);
    assertThat(store.findEntry("sent")).isEmpty();
    assertThat(store.findEntry("failed")).isEmpty();
    for (String kept : List.of("campaign-sent", "sent-after-cutoff", "processing", "pending")) {
      assertThat(store.findEntry(kept)).as(kept).isPresent();
    }
    assertThat(store.countByState(null)).containsOnly(Map.entry(EntryState.SENT, 2L),
        Map.entry(EntryState.PROCESSING, 1L), Map.entry(EntryState.PENDING, 1L));
    assertThat(store.deleteFinishedEntriesBefore(cutoff)).isZero();
  }

  @Test
  void deleteFinishedEntriesBefore_deletesSkippedEntriesToo() {
    enqueue(entry("blocked").build());
    claim(t0(), 10, "a");
    store.complete(List.of(skipped("blocked", "a", t0().plusSeconds(1))));

    int deleted = store.deleteFinishedEntriesBefore(t0().plus(Duration.ofDays(1)));

    assertThat(deleted).isEqualTo(1);
    assertThat(store.findEntry("blocked")).isEmpty();
  }

  /** An entry stored already final and never updated has no updated_at: its creation time alone decides. */
  @Test
  void deleteFinishedEntriesBefore_withoutAnUpdateTime_goesByTheCreationTime() {
    Instant cutoff = t0().plus(Duration.ofDays(1));
    enqueue(entry("old").state(EntryState.CANCELLED).updatedAt(null).build(),
        entry("new").state(EntryState.CANCELLED).createdAt(cutoff.plusSeconds(1)).updatedAt(null).build());

    int deleted = store.deleteFinishedEntriesBefore(cutoff);

    assertThat(deleted).isEqualTo(1);
    assertThat(store.findEntry("old")).isEmpty();
    assertThat(store.findEntry("new")).hasValueSatisfying(e -> assertThat(e.updatedAt()).isNull());
  }

  @Test
  void deleteFinishedEntriesBefore_forgetsTheExternalIdsOfTheDeletedEntries() {
    enqueue(entry("e1").build());
    sendAll(t0(), "wamid.");

    store.deleteFinishedEntriesBefore(t0().plus(Duration.ofDays(1)));

    assertThat(store.findByExternalId("meta", "wamid.e1")).isEmpty();
  }

  // ================================================================ blacklist

  @Test
  void saveBlacklist_thenFind_roundTripsEveryField() {
    BlacklistEntry entry = new BlacklistEntry("+6281234567890", "partner-42", "minta berhenti — \"STOP\"", false, 3,
        t0().minusSeconds(30), t0().minus(Duration.ofDays(2)));

    store.saveBlacklist(entry);

    assertThat(store.findBlacklist("+6281234567890")).contains(entry);
  }

  @Test
  void saveBlacklist_withAKnownPhone_replacesIt() {
    store.saveBlacklist(BlacklistEntry.of("+6281234567890", "first", t0()));
    BlacklistEntry replacement = BlacklistEntry.of("+6281234567890", "second", t0().plusSeconds(1)).withActive(false);

    store.saveBlacklist(replacement);

    assertThat(store.blacklist()).containsExactly(replacement);
  }

  @Test
  void blacklist_listsEveryEntry() {
    BlacklistEntry a = BlacklistEntry.of("+6281111111111", "a", t0());
    BlacklistEntry b = BlacklistEntry.of("+6282222222222", null, t0());
    store.saveBlacklist(b);
    store.saveBlacklist(a);

    assertThat(store.blacklist()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void removeBlacklist_removesItAndReportsWhetherItExisted() {
    store.saveBlacklist(BlacklistEntry.of("+6281234567890", "stop", t0()));

    assertThat(store.removeBlacklist("+6281234567890")).isTrue();
    assertThat(store.removeBlacklist("+6281234567890")).isFalse();
    assertThat(store.findBlacklist("+6281234567890")).isEmpty();
  }

  @Test
  void recordBlocked_bumpsTheCountAndSetsLastBlockedAt() {
    BlacklistEntry original = BlacklistEntry.of("+6281234567890", "stop", t0());
    store.saveBlacklist(original);

    store.recordBlocked("+6281234567890", t0().plusSeconds(10));
    store.recordBlocked("+6281234567890", t0().plusSeconds(20));

    BlacklistEntry found = store.findBlacklist("+6281234567890").orElseThrow();
    assertThat(found.blockedCount()).isEqualTo(2);
    assertThat(found.lastBlockedAt()).isEqualTo(t0().plusSeconds(20));
    assertThat(found.reason()).isEqualTo("stop");
    assertThat(found.createdAt()).isEqualTo(t0());
    assertThat(found.active()).isTrue();
  }

  @Test
  void recordBlocked_forAnUnknownPhone_changesNothing() {
    store.recordBlocked("+6289999999999", t0());

    assertThat(store.findBlacklist("+6289999999999")).isEmpty();
    assertThat(store.blacklist()).isEmpty();
  }

  // ================================================================ rate limits

  @Test
  void tryAcquire_givesAtMostLimitPermitsPerWindow() {
    List<Boolean> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) results.add(store.tryAcquire("rule:permit_ready", t0(), 3));

    assertThat(results).containsExactly(true, true, true, false);
  }

  /** Before, the JDBC cleanup dropped every window begun before the log cutoff: a 7-day limit started afresh. */
  @Test
  void deleteLogsBefore_keepsTheLatestWindowOfEachKey_whichMayStillBeRunning() {
    Instant week = t0().minus(Duration.ofDays(3));
    assertThat(store.tryAcquire("rule:weekly", week, 1)).isTrue();
    assertThat(store.tryAcquire("rule:weekly", week, 1)).isFalse();

    store.deleteLogsBefore(t0().minus(Duration.ofDays(1)));

    assertThat(store.tryAcquire("rule:weekly", week, 1)).as("the running week is still full").isFalse();
  }

  @Test
  void tryAcquire_inANewWindowOrForAnotherKey_startsAFreshCount() {
    for (int i = 0; i < 2; i++) store.tryAcquire("rule:a", t0(), 2);

    assertThat(store.tryAcquire("rule:a", t0(), 2)).isFalse();
    assertThat(store.tryAcquire("rule:b", t0(), 2)).isTrue();
    assertThat(store.tryAcquire("rule:a", t0().plus(Duration.ofMinutes(1)), 2)).isTrue();
    assertThat(store.tryAcquire("rule:a", t0().plus(Duration.ofMinutes(1)), 2)).isTrue();
    assertThat(store.tryAcquire("rule:a", t0().plus(Duration.ofMinutes(1)), 2)).isFalse();
  }

  // ================================================================ campaigns

  @Test
  void saveCampaign_thenFind_roundTripsEveryField() {
    Campaign c = Campaign.builder("camp-1", "Perpanjangan izin Januari").description("Pengingat izin yang habis — 30 hari")
        .ruleName("notify_expiry").templateKey("permit_expiry").targetSource("permit_holders")
        .targetParams(Map.of("region", "Kota Bandung", "days", "30")).scheduledAt(t0().plus(HOUR)).batchSize(250)
        .batchInterval(Duration.ofMinutes(7)).skipRecipientsInAddressBook(false).state(CampaignState.RUNNING)
        .cursor(1_500).exhausted(true).targets(1_480).skippedInAddressBook(12).duplicates(20)
        .nextBatchAt(t0().plus(Duration.ofMinutes(67))).createdAt(t0()).updatedAt(t0().plusSeconds(5)).build();

    store.saveCampaign(c);

    assertThat(store.findCampaign("camp-1")).contains(c);
  }

  @Test
  void saveCampaign_withoutSkipRecipientsInAddressBook_readsTrueAndKeepsTheRawNull() {
    store.saveCampaign(campaign("unset", CampaignState.DRAFT));
    store.saveCampaign(campaign("off", CampaignState.DRAFT).toBuilder().skipRecipientsInAddressBook(false).build());

    Campaign unset = store.findCampaign("unset").orElseThrow();
    Campaign off = store.findCampaign("off").orElseThrow();
    assertThat(unset.skipRecipientsInAddressBook()).isTrue();
    assertThat(unset.skipRecipientsInAddressBookRaw()).isNull();
    assertThat(off.skipRecipientsInAddressBook()).isFalse();
    assertThat(off.skipRecipientsInAddressBookRaw()).isFalse();
  }

  @Test
  void saveCampaign_withAKnownId_replacesItAndCampaignsListsAll() {
    store.saveCampaign(campaign("c1", CampaignState.DRAFT));
    store.saveCampaign(campaign("c2", CampaignState.DRAFT));
    Campaign replaced = campaign("c1", CampaignState.SCHEDULED).toBuilder().description("changed").build();

    store.saveCampaign(replaced);

    assertThat(store.findCampaign("c1")).contains(replaced);
    assertThat(store.campaigns()).containsExactlyInAnyOrder(replaced, campaign("c2", CampaignState.DRAFT));
    assertThat(store.findCampaign("unknown")).isEmpty();
  }

  @Test
  void transitionCampaign_fromTheExpectedState_movesItAndStampsUpdatedAt() {
    store.saveCampaign(campaign("c1", CampaignState.DRAFT));

    boolean moved = store.transitionCampaign("c1", CampaignState.DRAFT, CampaignState.SCHEDULED, t0().plusSeconds(3));

    assertThat(moved).isTrue();
    Campaign c = store.findCampaign("c1").orElseThrow();
    assertThat(c.state()).isEqualTo(CampaignState.SCHEDULED);
    assertThat(c.updatedAt()).isEqualTo(t0().plusSeconds(3));
  }

  @Test
  void transitionCampaign_fromAnotherStateOrForAMissingCampaign_returnsFalseAndChangesNothing() {
    Campaign original = campaign("c1", CampaignState.RUNNING);
    store.saveCampaign(original);

    assertThat(store.transitionCampaign("c1", CampaignState.DRAFT, CampaignState.SCHEDULED, t0())).isFalse();
    assertThat(store.transitionCampaign("missing", CampaignState.DRAFT, CampaignState.SCHEDULED, t0())).isFalse();
    assertThat(store.findCampaign("c1")).contains(original);
    assertThat(store.findCampaign("missing")).isEmpty();
  }

  @Test
  void advanceCampaign_movesTheCursorAndAddsTheCounts_butKeepsTheState() {
    Campaign original = campaign("c1", CampaignState.RUNNING).toBuilder().cursor(100).targets(90).skippedInAddressBook(3)
        .duplicates(7).build();
    store.saveCampaign(original);
    store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.PAUSED, t0().plusSeconds(1));
    Instant next = t0().plus(Duration.ofMinutes(5));

    assertThat(store.advanceCampaign("c1", 100, 500, true, 380, 4, 20, next, t0().plusSeconds(2))).isTrue();

    Campaign expected = original.toBuilder().state(CampaignState.PAUSED).cursor(500).exhausted(true).targets(470)
        .skippedInAddressBook(7).duplicates(27).nextBatchAt(next).updatedAt(t0().plusSeconds(2)).build();
    assertThat(store.findCampaign("c1")).contains(expected);
  }

  @Test
  void advanceCampaign_fromACursorNoLongerStored_changesNothing() {
    Campaign original = campaign("c1", CampaignState.RUNNING).toBuilder().cursor(100).targets(90).build();
    store.saveCampaign(original);

    assertThat(store.advanceCampaign("c1", 0, 100, false, 100, 0, 0, t0().plusSeconds(60), t0().plusSeconds(2))).isFalse();
    assertThat(store.advanceCampaign("missing", 0, 100, false, 100, 0, 0, null, t0())).isFalse();

    assertThat(store.findCampaign("c1")).contains(original);
  }

  @Test
  void addCampaignCounts_addsAndSubtracts_withoutMovingTheCursorOrTheState() {
    Campaign original = campaign("c1", CampaignState.RUNNING).toBuilder().cursor(100).targets(60).skippedInAddressBook(2)
        .duplicates(40).build();
    store.saveCampaign(original);

    store.addCampaignCounts("c1", 25, 1, -25, t0().plusSeconds(3));

    assertThat(store.findCampaign("c1")).contains(original.toBuilder().targets(85).skippedInAddressBook(3).duplicates(15)
        .updatedAt(t0().plusSeconds(3)).build());
  }

  // ================================================================ jobs

  @Test
  void tryClaimTick_hasOneWinnerPerTick() {
    Instant tick = t0().plus(Duration.ofMinutes(5));

    assertThat(claimTick("campaign-batches", tick, "node-a", tick)).isTrue();
    assertThat(claimTick("campaign-batches", tick, "node-b", tick)).isFalse();
    assertThat(claimTick("campaign-batches", tick, "node-a", tick)).isFalse();
    assertThat(claimTick("log-cleanup", tick, "node-b", tick)).isTrue();
  }

  @Test
  void tryClaimTick_refusesTicksNotLaterThanTheLastClaimed() {
    claimTick("job", t0().plus(Duration.ofMinutes(10)), "node-a", t0());
    Instant afterTheLease = t0().plus(HOUR);

    assertThat(claimTick("job", t0().plus(Duration.ofMinutes(5)), "node-b", afterTheLease)).isFalse();
    assertThat(claimTick("job", t0().plus(Duration.ofMinutes(15)), "node-b", afterTheLease)).isTrue();
    assertThat(claimTick("job", t0().plus(Duration.ofMinutes(10)), "node-a", afterTheLease)).isFalse();
  }

  @Test
  void unfinishedTick_isClaimedAgainAfterItsLeaseEnds_notBefore() {
    Instant tick = t0();
    Instant leaseEnd = tick.plus(TICK_LEASE);
    claimTick("permit-reminders", tick, "node-a", tick); // node-a dies during the run

    assertThat(claimTick("permit-reminders", tick, "node-b", tick.plus(Duration.ofMinutes(5)))).isFalse();
    assertThat(claimTick("permit-reminders", tick, "node-b", leaseEnd)).isFalse();
    assertThat(store.unfinishedTickLease("permit-reminders", tick)).contains(leaseEnd);

    Instant later = leaseEnd.plusMillis(1);
    assertThat(store.tryClaimTick("permit-reminders", tick, "node-b", later, later.plus(TICK_LEASE))).isTrue();
    assertThat(store.unfinishedTickLease("permit-reminders", tick)).contains(later.plus(TICK_LEASE));
    assertThat(claimTick("permit-reminders", tick, "node-c", later)).isFalse();
    assertThat(store.renewTick("permit-reminders", tick, "node-a", later.plus(HOUR))).isFalse();
    assertThat(store.finishTick("permit-reminders", tick, "node-a", later)).isFalse();
    assertThat(store.unfinishedTickLease("permit-reminders", tick)).contains(later.plus(TICK_LEASE));
  }

  @Test
  void finishedTick_isNeverClaimedAgain() {
    Instant tick = t0();
    claimTick("permit-reminders", tick, "node-a", tick);

    assertThat(store.finishTick("permit-reminders", tick, "node-a", tick.plusSeconds(30))).isTrue();
    assertThat(store.finishTick("permit-reminders", tick, "node-a", tick.plusSeconds(31))).isTrue();

    assertThat(store.unfinishedTickLease("permit-reminders", tick)).isEmpty();
    assertThat(claimTick("permit-reminders", tick, "node-b", tick.plus(Duration.ofDays(1)))).isFalse();
    assertThat(claimTick("permit-reminders", tick, "node-a", tick.plus(Duration.ofDays(1)))).isFalse();
    assertThat(store.renewTick("permit-reminders", tick, "node-a", tick.plus(HOUR))).isFalse();
    assertThat(claimTick("permit-reminders", tick.plus(Duration.ofDays(1)), "node-b", tick.plus(Duration.ofDays(1)))).isTrue();
  }

  @Test
  void renewTick_extendsTheLeaseOfTheOwnersUnfinishedClaimOnly() {
    Instant tick = t0();
    claimTick("log-cleanup", tick, "node-a", tick);
    Instant renewedEnd = tick.plus(HOUR);

    assertThat(store.renewTick("log-cleanup", tick, "node-b", renewedEnd)).isFalse();
    assertThat(store.renewTick("log-cleanup", tick.plusSeconds(1), "node-a", renewedEnd)).isFalse();
    assertThat(store.renewTick("log-cleanup", tick, "node-a", renewedEnd)).isTrue();

    assertThat(store.unfinishedTickLease("log-cleanup", tick)).contains(renewedEnd);
    assertThat(claimTick("log-cleanup", tick, "node-b", tick.plus(TICK_LEASE).plusMillis(1))).isFalse();
    assertThat(claimTick("log-cleanup", tick, "node-b", renewedEnd.plusMillis(1))).isTrue();
  }

  /** Before, a later tick was claimed while the previous run went on elsewhere: one job ran twice at once. */
  @Test
  void laterTick_isNotClaimedWhileTheEarlierOneRunsUnderItsLease_butIsOnceItIsFinished() {
    Instant first = t0();
    Instant second = t0().plus(Duration.ofMinutes(5));
    claimTick("campaign-batches", first, "node-a", first); // still running on node-a

    assertThat(store.tryClaimTick("campaign-batches", second, "node-b", second, second.plus(TICK_LEASE))).isFalse();
    assertThat(store.finishTick("campaign-batches", first, "node-a", second)).isTrue();
    assertThat(store.tryClaimTick("campaign-batches", second, "node-b", second, second.plus(TICK_LEASE))).isTrue();
  }

  @Test
  void claimOfALaterTick_afterTheEarlierOnesLeaseEnded_supersedesIt() {
    Instant first = t0();
    Instant second = t0().plus(TICK_LEASE).plus(Duration.ofMinutes(5));
    claimTick("campaign-batches", first, "node-a", first); // node-a died running it
    claimTick("campaign-batches", second, "node-b", second);

    assertThat(store.unfinishedTickLease("campaign-batches", first)).isEmpty();
    assertThat(store.unfinishedTickLease("campaign-batches", second)).contains(second.plus(TICK_LEASE));
    assertThat(store.renewTick("campaign-batches", first, "node-a", first.plus(HOUR))).isFalse();
    assertThat(store.finishTick("campaign-batches", first, "node-a", second)).isFalse();
    assertThat(store.unfinishedTickLease("campaign-batches", second)).contains(second.plus(TICK_LEASE));
    assertThat(store.unfinishedTickLease("never-claimed", first)).isEmpty();
  }

  @Test
  void recordJobRun_makesTheRunTheLastRun_ofAnEnabledState() {
    JobRun run = new JobRun("log-cleanup", "node-a", t0(), 1_250, "database unreachable: koneksi ditolak");

    store.recordJobRun(run);

    assertThat(store.jobState("log-cleanup")).contains(new JobState("log-cleanup", true, run));
    assertThat(store.jobState("unknown")).isEmpty();
  }

  /** Before, the job history only grew: nothing deleted it. */
  @Test
  void deleteJobRunsBefore_deletesOlderRunsOfEveryJob_andKeepsTheLastRun() {
    JobRun old = new JobRun("campaign-batches", "node-a", t0().minus(Duration.ofDays(2)), 5, null);
    JobRun recent = new JobRun("campaign-batches", "node-a", t0(), 5, null);
    JobRun otherOld = new JobRun("log-cleanup", "node-a", t0().minus(Duration.ofDays(3)), 5, null);
    for (JobRun r : List.of(old, recent, otherOld)) store.recordJobRun(r);

    int deleted = store.deleteJobRunsBefore(t0().minus(Duration.ofDays(1)));

    assertThat(deleted).isEqualTo(2);
    assertThat(store.jobRuns("campaign-batches", 10)).containsExactly(recent);
    assertThat(store.jobRuns("log-cleanup", 10)).isEmpty();
    assertThat(store.jobState("log-cleanup").orElseThrow().lastRun()).isEqualTo(otherOld);
  }

  @Test
  void setJobEnabled_keepsTheLastRun() {
    JobRun run = new JobRun("log-cleanup", "node-a", t0(), 40, null);
    store.recordJobRun(run);

    store.setJobEnabled("log-cleanup", false);

    assertThat(store.jobState("log-cleanup")).contains(new JobState("log-cleanup", false, run));
  }

  @Test
  void setJobEnabled_onAJobThatNeverRan_createsItsState() {
    store.setJobEnabled("campaign-batch", false);
    assertThat(store.jobState("campaign-batch")).contains(new JobState("campaign-batch", false, null));

    store.setJobEnabled("campaign-batch", true);
    assertThat(store.jobState("campaign-batch")).contains(new JobState("campaign-batch", true, null));
  }

  /** A run another node records after an operator disabled the job must not enable it again. */
  @Test
  void recordJobRun_keepsTheEnabledFlag() {
    store.setJobEnabled("log-cleanup", false);
    JobRun run = new JobRun("log-cleanup", "node-b", t0(), 40, null);

    store.recordJobRun(run);

    assertThat(store.jobState("log-cleanup")).contains(new JobState("log-cleanup", false, run));
  }

  @Test
  void recordJobRun_ofAnEarlierRun_addsHistory_butKeepsTheLaterLastRun() {
    JobRun later = new JobRun("log-cleanup", "node-a", t0().plus(HOUR), 40, null);
    JobRun earlier = new JobRun("log-cleanup", "node-b", t0(), 90, "slow node");
    store.recordJobRun(later);

    store.recordJobRun(earlier);

    assertThat(store.jobState("log-cleanup").orElseThrow().lastRun()).isEqualTo(later);
    assertThat(store.jobRuns("log-cleanup", 10)).containsExactly(later, earlier);
  }

  @Test
  void concurrentFirstRunsOnTwoNodes_bothInHistory_theLaterIsTheLastRun() throws Exception {
    for (int round = 0; round < 20; round++) {
      String job = "job-" + round;
      JobRun a = new JobRun(job, "node-a", t0().plusSeconds(round), 10, null);
      JobRun b = new JobRun(job, "node-b", t0().plusSeconds(round + 1), 20, null);
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(() -> {
        await(start);
        store.recordJobRun(a);
      }, r -> new Thread(r, "node-a").start()); // not the common pool: one thread on two cores, maybe held elsewhere
      await(start);
      store.recordJobRun(b);
      other.get(30, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(store.jobState(job)).contains(new JobState(job, true, b));
      assertThat(store.jobRuns(job, 10)).containsExactly(b, a);
    }
  }

  private static void await(java.util.concurrent.CyclicBarrier barrier) {
    try {
      barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void jobRuns_areMostRecentFirstUpToTheLimit() {
    JobRun first = new JobRun("cleanup", "node-a", t0(), 10, null);
    JobRun second = new JobRun("cleanup", "node-b", t0().plus(HOUR), 20, "boom");
    JobRun third = new JobRun("cleanup", "node-a", t0().plus(Duration.ofHours(2)), 30, null);
    store.recordJobRun(first);
    store.recordJobRun(third);
    store.recordJobRun(second);
    store.recordJobRun(new JobRun("other", "node-a", t0().plus(Duration.ofHours(3)), 5, null));

    assertThat(store.jobRuns("cleanup", 10)).containsExactly(third, second, first);
    assertThat(store.jobRuns("cleanup", 2)).containsExactly(third, second);
    assertThat(store.jobRuns("unknown", 10)).isEmpty();
  }

  // ================================================================ concurrency

  @Test
  void concurrentClaimers_claimEveryEntryExactlyOnce() throws Exception {
    int total = 2_000;
    List<NewEntry> batch = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      batch.add(newEntry(entry("e" + i).priority(i % 11).scheduledAt(t0().minusMillis(i % 97)).build()));
      if (batch.size() == 200) {
        store.enqueue(batch, t0(), null);
        batch = new ArrayList<>();
      }
    }
    ConcurrentLinkedQueue<String> claimedIds = new ConcurrentLinkedQueue<>();
    Instant now = t0().plusSeconds(1);

    runConcurrently(6, worker -> () -> {
      String owner = "node-" + worker;
      while (true) {
        List<QueueEntry> claimed = store.claimDue(now, 25, owner, now.plus(HOUR));
        if (claimed.isEmpty()) return null;
        List<EntryUpdate> updates = new ArrayList<>();
        for (QueueEntry e : claimed) {
          claimedIds.add(e.id());
          updates.add(new EntryUpdate(e.id(), owner, EntryState.SENT, 1, e.scheduledAt(), null, "meta",
              "wamid." + e.id(), now, log(e, EntryState.SENT, "wamid." + e.id(), now)));
        }
        assertThat(store.complete(updates)).hasSize(claimed.size());
      }
    });

    assertThat(claimedIds).hasSize(total);
    assertThat(new HashSet<>(claimedIds)).hasSize(total);
    assertThat(store.countByState(null)).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.SENT, (long) total));
    assertThat(store.logs(LogQuery.all())).hasSize(total);
  }

  @Test
  void concurrentEnqueue_storesEveryEntry() throws Exception {
    runConcurrently(8, worker -> () -> {
      for (int b = 0; b < 10; b++) {
        List<NewEntry> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) batch.add(newEntry(entry("w" + worker + "-" + b + "-" + i).build()));
        store.enqueue(batch, t0(), null);
      }
      return null;
    });

    assertThat(store.countByState(null)).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.PENDING, 2_000L));
    assertThat(store.entries(null, 5_000)).hasSize(2_000);
    assertThat(store.queueDepth(t0())).isEqualTo(2_000);
  }

  @Test
  void concurrentEnqueue_withTheSameDedupeKey_storesExactlyOne() throws Exception {
    List<List<QueueEntry>> results = runConcurrently(8, worker -> () -> store.enqueue(
        List.of(new NewEntry(entry("dup-" + worker).dedupeKey("permit:1:approved").build(), t0().plus(HOUR))),
        t0(), null));

    assertThat(results.stream().mapToInt(List::size).sum()).isEqualTo(1);
    assertThat(store.entries(null, 100)).hasSize(1);
  }

  @Test
  void concurrentTryAcquire_neverExceedsTheLimit() throws Exception {
    List<Integer> granted = runConcurrently(8, worker -> () -> {
      int n = 0;
      for (int i = 0; i < 50; i++) if (store.tryAcquire("provider:meta", t0(), 100)) n++;
      return n;
    });

    assertThat(granted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
  }

  @Test
  void concurrentTryClaimTick_hasExactlyOneWinner() throws Exception {
    Instant tick = t0().plus(Duration.ofMinutes(5));

    List<Boolean> won = runConcurrently(8, worker -> () -> claimTick("campaign-batches", tick, "node-" + worker, tick));

    assertThat(won).containsOnlyOnce(true);
  }

  @Test
  void concurrentClaimsOfATickWhoseLeaseEnded_haveExactlyOneWinner() throws Exception {
    Instant tick = t0();
    claimTick("permit-reminders", tick, "node-dead", tick);
    Instant later = tick.plus(TICK_LEASE).plusSeconds(1);

    List<Boolean> won = runConcurrently(8, worker -> () -> claimTick("permit-reminders", tick, "node-" + worker, later));

    assertThat(won).containsOnlyOnce(true);
  }

  // ================================================================ helpers

  /** Claims {@code tick} at {@code now} with a lease of {@link #TICK_LEASE}. */
  private boolean claimTick(String job, Instant tick, String owner, Instant now) {
    return store.tryClaimTick(job, tick, owner, now, now.plus(TICK_LEASE));
  }

  /** A due PENDING entry at {@link #t0()} with a distinct recipient per id. */
  protected QueueEntry.Builder entry(String id) {
    return QueueEntry.builder().id(id).ruleName("permit_ready")
        .recipient(Recipient.of("partner-" + id, "Budi Santoso", "+62812" + String.format("%07d", Math.abs(id.hashCode()) % 10_000_000)))
        .subject("permit", "PRM-" + id).templateKey("permit_ready")
        .context(Map.of("permit_number", "503/" + id)).scheduledAt(t0()).createdAt(t0()).updatedAt(t0());
  }

  /** Wraps an entry for enqueue; a dedupe key blocks for an hour after {@link #t0()}. */
  protected NewEntry newEntry(QueueEntry e) {
    return new NewEntry(e, e.dedupeKey() == null ? null : t0().plus(HOUR));
  }

  protected List<QueueEntry> enqueue(QueueEntry... entries) {
    List<NewEntry> list = new ArrayList<>();
    for (QueueEntry e : entries) list.add(newEntry(e));
    return store.enqueue(list, t0(), null);
  }

  protected List<QueueEntry> claim(Instant now, int limit, String owner) {
    return store.claimDue(now, limit, owner, now.plus(LEASE));
  }

  /** Claims up to {@code limit} due entries and completes them as SENT with external id prefix + entry id. */
  protected void sendAll(Instant now, String externalIdPrefix, int limit) {
    List<EntryUpdate> updates = new ArrayList<>();
    for (QueueEntry e : store.claimDue(now, limit, "sender", now.plus(LEASE))) {
      Instant done = now.plusMillis(500);
      updates.add(new EntryUpdate(e.id(), "sender", EntryState.SENT, 1, e.scheduledAt(), null, "meta",
          externalIdPrefix + e.id(), done, log(e, EntryState.SENT, externalIdPrefix + e.id(), done)));
    }
    store.complete(updates);
  }

  /** Completes claimed entries at {@code at}: the one named {@code failedId} as FAILED, the others as SENT. */
  private void finish(List<QueueEntry> claimed, String owner, Instant at, String failedId) {
    List<EntryUpdate> updates = new ArrayList<>();
    for (QueueEntry e : claimed) {
      EntryState state = e.id().equals(failedId) ? EntryState.FAILED : EntryState.SENT;
      updates.add(new EntryUpdate(e.id(), owner, state, 1, e.scheduledAt(), state == EntryState.FAILED ? "error" : null,
          "meta", "wamid." + e.id(), at, log(e, state, "wamid." + e.id(), at)));
    }
    store.complete(updates);
  }

  protected void sendAll(Instant now, String externalIdPrefix) {
    sendAll(now, externalIdPrefix, 1_000);
  }

  protected DeliveryLog log(QueueEntry e, EntryState state, String externalId, Instant at) {
    return new DeliveryLog("log-" + e.id(), e.id(), e.ruleName(), e.campaignId(), e.recipient().phone(),
        e.recipient().name(), e.templateKey(), state, state == EntryState.SENT ? null : "error",
        state == EntryState.SENT ? "Yth. " + e.recipient().name() + ", izin Anda telah terbit." : "failed", "meta",
        externalId, 1, 250, DeliveryStatus.NONE, at);
  }

  protected DeliveryLog skippedLog(String id, Instant at) {
    return new DeliveryLog(id, null, "permit_ready", null, "+6281234567890", null, "permit_ready", EntryState.SKIPPED,
        "blacklisted", null, null, null, 0, 0, DeliveryStatus.NONE, at);
  }

  private EntryUpdate skipped(String id, String owner, Instant at) {
    DeliveryLog log = new DeliveryLog("log-" + id, id, "permit_ready", null, "+6281234567890", null, "permit_ready",
        EntryState.SKIPPED, "blacklisted", null, null, null, 0, 3, DeliveryStatus.NONE, at);
    return new EntryUpdate(id, owner, EntryState.SKIPPED, 0, t0(), "blacklisted", null, null, at, log);
  }

  protected Campaign campaign(String id, CampaignState state) {
    return Campaign.builder(id, "Kampanye " + id).templateKey("permit_expiry").targetSource("permit_holders")
        .state(state).createdAt(t0()).build();
  }

  /** A rule using every setting, with recipients of all four types and context declared out of alphabetical order. */
  protected Rule richRule(String name, Schedule schedule) {
    return Rule.builder(name).active(false).trigger("permit_state_change")
        .condition("old.state == 'draft' && record.amount > 0").template("permit_ready")
        .recipients(Recipients.field("record.applicantPhone", "record.applicantName"), Recipients.group("staff"),
            Recipients.query("officials_of_region", Map.of("region", "record.regionId", "level", "'kabupaten'")),
            Recipients.of("+6281234567890", "+6281298765432"))
        .context("zeta_nomor", "record.number").context("alpha_nama", "record.applicantName")
        .context("mid_catatan", "'Izin \"khusus\" & <penting> — ü'").context("beta_tanggal", "record.approvedAt")
        .contextPreparer("permitPreparer").schedule(schedule).priority(9).maxRetries(7)
        .rateLimit(RateLimit.of(30, Duration.ofMinutes(10))).respectBlacklist(false)
        .dedupe("record.id + ':' + record.state", Duration.ofHours(6))
        .quietHours(QuietHours.of(LocalTime.of(21, 0), LocalTime.of(7, 0), ZoneId.of("Asia/Jakarta")))
        .providers("meta", "fonnte").build();
  }

  /** Runs one task per thread, all released at once; returns their results in worker order. */
  protected <T> List<T> runConcurrently(int threads, IntFunction<Callable<T>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<T> c = task.apply(i);
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return c.call();
        }));
      }
      ready.await();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get(2, TimeUnit.MINUTES));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
