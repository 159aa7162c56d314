package dev.notify.core.campaign;

import static dev.notify.core.campaign.People.e164;
import static dev.notify.core.campaign.People.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.Campaign;
import dev.notify.core.CampaignProgress;
import dev.notify.core.CampaignSpec;
import dev.notify.core.CampaignState;
import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.IllegalStateTransitionException;
import dev.notify.core.InvalidDefinitionException;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.Recipient;
import dev.notify.core.Recipients;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Rule;
import dev.notify.core.StoreException;
import dev.notify.core.Trigger;
import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.TargetSource;
import dev.notify.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Campaign behaviour, run against every store: one subclass per store (in-memory here, H2 file and
 * PostgreSQL in notify-jdbc). Deterministic: a {@link MutableClock}, no background threads, the test calls
 * {@code runDueBatches()} (the campaign-batches job) and {@code dispatchNow()} itself.
 */
public abstract class CampaignContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z"); // 09:00 in Jakarta
  protected static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  protected final MutableClock clock = new MutableClock(T0, JAKARTA);
  protected final RecordingProvider provider = new RecordingProvider();
  private final Set<String> addressBook = ConcurrentHashMap.newKeySet();
  private People people = People.generated(250, People::person);
  private NotificationEngine engine;
  /** Runs before each read of the 'people' targets (to hold a batch in the middle). */
  private volatile Runnable beforeTargets = () -> {};

  /**
   * Opens the store under test. The first call of a test sees empty data; later calls of the same test open
   * the same data again, as a restarted process would.
   */
  protected abstract NotificationStore openStore();

  /** Called after each test once the engine is closed: drop what {@link #openStore()} created. */
  protected void dropStore() {}

  @AfterEach
  void closeEngine() {
    try {
      if (engine != null) engine.close();
    } finally {
      dropStore();
    }
  }

  // ------------------------------------------------------------------ creation

  @Test
  void create_storesADraftWithTheSpecAndTheDefaults() {
    String id = campaigns().create(CampaignSpec.builder("peringatan_masa_berlaku_30_hari")
        .description("Izin yang berakhir dalam 30 hari").template("reminder").targets("people", Map.of("days", "30")).build());

    Campaign c = campaigns().find(id).orElseThrow();
    assertThat(c.state()).isEqualTo(CampaignState.DRAFT);
    assertThat(c.name()).isEqualTo("peringatan_masa_berlaku_30_hari");
    assertThat(c.description()).isEqualTo("Izin yang berakhir dalam 30 hari");
    assertThat(c.templateKey()).isEqualTo("reminder");
    assertThat(c.ruleName()).isNull();
    assertThat(c.targetSource()).isEqualTo("people");
    assertThat(c.targetParams()).isEqualTo(Map.of("days", "30"));
    assertThat(c.batchSize()).isEqualTo(100);
    assertThat(c.batchInterval()).isEqualTo(FIVE_MINUTES);
    assertThat(c.skipRecipientsInAddressBookRaw()).isTrue();
    assertThat(c.cursor()).isZero();
    assertThat(campaigns().list()).extracting(Campaign::id).containsExactly(id);
    assertThat(people.calls()).as("a draft reads no target").isZero();
  }

  @Test
  void create_withUnknownTargetSource_throwsNamingItAndStoresNothing() {
    assertThatThrownBy(() -> campaigns().create(CampaignSpec.builder("c").template("reminder").targets("nobody").build()))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("campaign 'c' names target source 'nobody' but none is registered on the engine builder"
            + " (targetSource(name, source)); registered: [broken, people]");
    assertThat(campaigns().list()).isEmpty();
  }

  @Test
  void create_withUnknownRule_throwsNamingItAndStoresNothing() {
    assertThatThrownBy(() -> campaigns().create(CampaignSpec.builder("c").rule("no_such_rule").targets("people").build()))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("campaign 'c' names unknown rule 'no_such_rule'");
    assertThat(campaigns().list()).isEmpty();
  }

  @Test
  void create_withUnknownTemplate_throwsNamingItAndStoresNothing() {
    assertThatThrownBy(() -> campaigns().create(CampaignSpec.builder("c").template("no_such_template").targets("people").build()))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("campaign 'c' names unknown template 'no_such_template'");
    assertThat(campaigns().list()).isEmpty();
  }

  // ------------------------------------------------------------------ state machine

  @Test
  void start_withoutScheduledTime_isRunningAndQueuesTheFirstBatchAtOnce() {
    String id = create(spec());

    assertThat(campaigns().start(id)).isEqualTo(CampaignState.RUNNING);

    assertThat(state(id)).isEqualTo(CampaignState.RUNNING);
    assertThat(countByState(id)).isEqualTo(Map.of(EntryState.PENDING, 100L));
  }

  @Test
  void start_withFutureScheduledTime_waitsInScheduledUntilTheJobFindsItDue() {
    String id = create(spec().scheduledAt(T0.plus(Duration.ofHours(1))));

    assertThat(campaigns().start(id)).isEqualTo(CampaignState.SCHEDULED);
    clock.advance(Duration.ofMinutes(59));
    assertThat(campaigns().runDueBatches()).isZero();
    assertThat(state(id)).isEqualTo(CampaignState.SCHEDULED);

    clock.advance(Duration.ofMinutes(1));
    assertThat(campaigns().runDueBatches()).isEqualTo(100);
    assertThat(state(id)).isEqualTo(CampaignState.RUNNING);
  }

  @ParameterizedTest
  @CsvSource({
      "DRAFT, pause", "DRAFT, resume",
      "SCHEDULED, start", "SCHEDULED, pause", "SCHEDULED, resume",
      "RUNNING, start", "RUNNING, resume",
      "PAUSED, start", "PAUSED, pause",
      "COMPLETED, start", "COMPLETED, pause", "COMPLETED, resume", "COMPLETED, cancel",
      "CANCELLED, start", "CANCELLED, pause", "CANCELLED, resume", "CANCELLED, cancel"})
  void illegalTransition_throwsNamingCampaignStateAndAction_andChangesNothing(CampaignState from, String action) {
    String id = campaignIn(from);
    Function<String, Object> call = Map.<String, Function<String, Object>>of(
        "start", campaigns()::start, "pause", i -> { campaigns().pause(i); return null; },
        "resume", i -> { campaigns().resume(i); return null; }, "cancel", campaigns()::cancel).get(action);

    assertThatThrownBy(() -> call.apply(id))
        .isInstanceOf(IllegalStateTransitionException.class)
        .hasMessage("campaign 'kampanye' (" + id + ") is " + from + "; cannot " + action);
    assertThat(state(id)).isEqualTo(from);
  }

  @ParameterizedTest
  @EnumSource(value = CampaignState.class, names = {"DRAFT", "SCHEDULED", "RUNNING", "PAUSED"})
  void cancel_fromEveryOpenState_endsTheCampaign(CampaignState from) {
    String id = campaignIn(from);

    campaigns().cancel(id);

    assertThat(state(id)).isEqualTo(CampaignState.CANCELLED);
  }

  @Test
  void action_onUnknownCampaign_throwsNamingTheId() {
    assertThatThrownBy(() -> campaigns().pause("nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown campaign 'nope'");
    assertThat(campaigns().find("nope")).isEmpty();
  }

  // ------------------------------------------------------------------ batches

  @Test
  void batches_releaseBatchSizeTargetsPerInterval() {
    String id = create(spec());

    campaigns().start(id);
    assertThat(campaigns().runDueBatches()).as("the first batch went out at start").isZero();
    clock.advance(FIVE_MINUTES.minusSeconds(1));
    assertThat(campaigns().runDueBatches()).as("interval not over").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(campaigns().runDueBatches()).isEqualTo(100);
    clock.advance(FIVE_MINUTES);
    assertThat(campaigns().runDueBatches()).isEqualTo(50);
    clock.advance(FIVE_MINUTES);
    assertThat(campaigns().runDueBatches()).isZero();

    assertThat(countByState(id)).isEqualTo(Map.of(EntryState.PENDING, 250L));
    assertThat(people.offsets()).containsExactly(0L, 100L, 200L);
  }

  @Test
  void targets_areStreamed_aBatchPullsAtMostBatchSizePlusOneAndClosesTheStream() {
    people = People.generated(1_000_000, People::person);
    String id = create(spec());

    campaigns().start(id);
    clock.advance(FIVE_MINUTES);
    campaigns().runDueBatches();
    clock.advance(FIVE_MINUTES);
    campaigns().runDueBatches();

    assertThat(people.offsets()).containsExactly(0L, 100L, 200L);
    assertThat(people.pulledPerCall()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(101));
    assertThat(people.closedStreams()).isEqualTo(people.calls());
    Campaign c = campaigns().find(id).orElseThrow();
    assertThat(c.cursor()).isEqualTo(300);
    assertThat(c.exhausted()).isFalse();
  }

  @Test
  void runBatch_queuesTheNextBatchWithoutWaitingForTheInterval() {
    String id = create(spec());
    campaigns().start(id);

    assertThat(campaigns().runBatch(id)).isEqualTo(100);

    assertThat(people.offsets()).containsExactly(0L, 100L);
  }

  @Test
  void restartInTheMiddle_resumesAtTheCursor_nobodyRequeuedOrSkipped() {
    String id = create(spec());
    campaigns().start(id);
    engine().dispatchNow();
    clock.advance(FIVE_MINUTES);
    campaigns().runDueBatches(); // batch 2 queued, not sent yet

    restart();
    engine().dispatchNow();
    clock.advance(FIVE_MINUTES);
    assertThat(campaigns().runDueBatches()).isEqualTo(50);
    engine().dispatchNow();
    campaigns().runDueBatches();

    assertThat(sentPerPhone()).hasSize(250).allSatisfy((phone, n) -> assertThat(n).as(phone).isEqualTo(1L));
    assertThat(people.offsets()).containsExactly(0L, 100L, 200L);
    assertThat(state(id)).isEqualTo(CampaignState.COMPLETED);
  }

  @Test
  void crashBetweenEnqueueAndCursorSave_theReReadBatchQueuesNobodyTwice() {
    CrashingStore crashing = new CrashingStore(openStore());
    engine = build(crashing.store());
    String id = create(spec());
    campaigns().start(id);
    clock.advance(FIVE_MINUTES);
    crashing.crashOnNextProgressSave();
    assertThatThrownBy(() -> campaigns().runDueBatches()).isInstanceOf(StoreException.class);
    assertThat(countByState(id)).as("batch 2 was enqueued").isEqualTo(Map.of(EntryState.PENDING, 200L));

    restart();
    assertThat(campaigns().runDueBatches()).as("batch 2 read again, all dropped").isZero();
    clock.advance(FIVE_MINUTES);
    assertThat(campaigns().runDueBatches()).isEqualTo(50);
    engine().dispatchNow();

    assertThat(people.offsets()).containsExactly(0L, 100L, 100L, 200L);
    assertThat(sentPerPhone()).hasSize(250).allSatisfy((phone, n) -> assertThat(n).as(phone).isEqualTo(1L));
  }

  /**
   * An operator's start on one node and a batch on another read the same targets. Before, each saved absolute
   * counters: the one that finished last (here the start, whose entries were all dropped as already queued) left
   * the campaign at 0 targets and 100 duplicates.
   */
  @Test
  void batchesOfTwoNodesOverTheSameTargets_countEachTargetOnce() throws Exception {
    String id = create(spec());
    NotificationEngine other = build(openStore());
    java.util.concurrent.ExecutorService operator = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch otherDone = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
      beforeTargets = () -> {
        if (!first.compareAndSet(true, false)) return;
        reading.countDown();
        try {
          otherDone.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      java.util.concurrent.Future<?> start = operator.submit(() -> campaigns().start(id));
      reading.await(); // the start's batch has read the cursor and is reading its targets
      assertThat(other.campaigns().runBatch(id)).isEqualTo(100);
      otherDone.countDown();
      start.get();
    } finally {
      operator.shutdownNow();
      other.close();
    }

    Campaign c = campaigns().find(id).orElseThrow();
    assertThat(c.cursor()).isEqualTo(100);
    assertThat(c.targets()).isEqualTo(100);
    assertThat(c.duplicates()).isZero();
    assertThat(countByState(id)).isEqualTo(Map.of(EntryState.PENDING, 100L));
  }

  @Test
  void batchOfSeveralParts_isEnqueuedInOneStoreCallPerPart_andQueuesEveryoneOnce() {
    people = People.generated(2_500, People::person);
    CrashingStore counting = new CrashingStore(openStore());
    engine = build(counting.store());
    String id = create(spec().batchSize(2_500));
    int before = counting.enqueueCalls();

    campaigns().start(id);

    assertThat(counting.enqueueCalls() - before).as("two lanes, parts of 1,000, 1,000 and 500").isEqualTo(3);
    assertThat(countByState(id)).isEqualTo(Map.of(EntryState.PENDING, 2_500L));
    Campaign c = campaigns().find(id).orElseThrow();
    assertThat(c.cursor()).isEqualTo(2_500);
    assertThat(c.duplicates()).isZero();
  }

  @Test
  void onePartFailing_failsTheBatchWithoutMovingTheCursor_andTheRetryQueuesTheRestOnce() {
    people = People.generated(2_500, People::person);
    CrashingStore failing = new CrashingStore(openStore());
    engine = build(failing.store());
    String id = create(spec().batchSize(2_500).batchInterval(Duration.ZERO));
    failing.failEnqueueOfSize(1_000); // one of the two parts of 1,000 (the third part has 500)

    assertThatThrownBy(() -> campaigns().start(id)).isInstanceOf(StoreException.class)
        .hasMessageContaining("simulated failure of one enqueue call");
    assertThat(countByState(id)).as("the other two parts committed").isEqualTo(Map.of(EntryState.PENDING, 1_500L));
    assertThat(campaigns().find(id).orElseThrow().cursor()).isZero();

    campaigns().runBatch(id);

    assertThat(countByState(id)).isEqualTo(Map.of(EntryState.PENDING, 2_500L));
    Campaign c = campaigns().find(id).orElseThrow();
    assertThat(c.cursor()).isEqualTo(2_500);
    assertThat(c.duplicates()).as("the committed parts, read again").isEqualTo(1_500);
    engine().dispatchNow();
    assertThat(sentPerPhone()).hasSize(2_500).allSatisfy((phone, n) -> assertThat(n).as(phone).isEqualTo(1L));
  }

  @Test
  void numberAppearingTwiceAmongTargets_isSentOnce_withinAndAcrossBatches() {
    people = People.of(List.of(person(0), person(1), Map.of("phone", "+6281200000000", "name", "lagi"), person(2),
        person(3), Map.of("phone", "0812 0000 0003", "name", "lagi")));
    String id = create(spec().batchSize(2));

    campaigns().start(id);
    for (int i = 0; i < 3; i++) {
      clock.advance(FIVE_MINUTES);
      campaigns().runDueBatches();
    }
    engine().dispatchNow();

    assertThat(sentPerPhone()).containsOnly(Map.entry(e164(0), 1L), Map.entry(e164(1), 1L), Map.entry(e164(2), 1L),
        Map.entry(e164(3), 1L));
    assertThat(campaigns().progress(id).duplicates()).isEqualTo(2);
  }

  // ------------------------------------------------------------------ address book (seed 004)

  @Test
  void addressBookFilterOn_skipsKnownNumbers_logsThemAndCountsThem() {
    people = People.generated(10, People::person);
    addressBook.addAll(List.of(e164(2), e164(5)));
    String id = create(spec());

    campaigns().start(id);
    engine().dispatchNow();

    assertThat(sentPerPhone()).hasSize(8).doesNotContainKeys(e164(2), e164(5));
    List<DeliveryLog> skips = engine().store().logs(LogQuery.all().withCampaign(id).withState(EntryState.SKIPPED));
    assertThat(skips).extracting(DeliveryLog::phone, DeliveryLog::reason)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(e164(2), "in_address_book"),
            org.assertj.core.groups.Tuple.tuple(e164(5), "in_address_book"));
    CampaignProgress p = campaigns().progress(id);
    assertThat(p.skippedInAddressBook()).isEqualTo(2);
    assertThat(p.skipped()).isEqualTo(2);
    assertThat(campaigns().find(id).orElseThrow().skippedInAddressBook()).isEqualTo(2);
  }

  @Test
  void addressBookFilterOff_sendsKnownNumbersToo() {
    people = People.generated(10, People::person);
    addressBook.addAll(List.of(e164(2), e164(5)));
    String id = create(spec().skipRecipientsInAddressBook(false));

    campaigns().start(id);
    engine().dispatchNow();

    assertThat(sentPerPhone()).hasSize(10).containsKeys(e164(2), e164(5));
    assertThat(engine().store().logs(LogQuery.all().withCampaign(id).withState(EntryState.SKIPPED))).isEmpty();
    assertThat(campaigns().progress(id).skippedInAddressBook()).isZero();
  }

  @Test
  void addressBookFilterOff_isStoredAndStillOffAfterARestart() {
    addressBook.add(e164(150));
    String id = create(spec().skipRecipientsInAddressBook(false));
    campaigns().start(id);

    restart();
    assertThat(campaigns().find(id).orElseThrow().skipRecipientsInAddressBookRaw()).isFalse();
    clock.advance(FIVE_MINUTES);
    campaigns().runDueBatches();
    engine().dispatchNow();

    assertThat(sentPerPhone()).containsKey(e164(150));
  }

  @Test
  void storedCampaignWithoutTheFilterValue_readsAsTrueAndSkipsKnownNumbers() {
    people = People.generated(10, People::person);
    addressBook.add(e164(4));
    Campaign legacy = Campaign.builder("legacy-1", "kampanye lama").templateKey("reminder").targetSource("people")
        .skipRecipientsInAddressBook(null).createdAt(T0).build();
    engine().store().saveCampaign(legacy);

    restart();
    Campaign loaded = campaigns().find("legacy-1").orElseThrow();
    assertThat(loaded.skipRecipientsInAddressBookRaw()).isNull();
    assertThat(loaded.skipRecipientsInAddressBook()).isTrue();
    campaigns().start("legacy-1");
    engine().dispatchNow();

    assertThat(sentPerPhone()).hasSize(9).doesNotContainKey(e164(4));
    assertThat(campaigns().progress("legacy-1").skippedInAddressBook()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ pause, resume, cancel

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void pause_holdsPendingEntriesAndStopsBatches_resumeContinues(boolean skipInAddressBook) {
    addressBook.add(e164(7));
    String id = create(spec().skipRecipientsInAddressBook(skipInAddressBook));
    campaigns().start(id);

    campaigns().pause(id);
    assertThat(engine().dispatchNow()).as("pending entries are held").isZero();
    clock.advance(FIVE_MINUTES);
    assertThat(campaigns().runDueBatches()).as("no new batch while paused").isZero();
    assertThat(people.calls()).isEqualTo(1);

    campaigns().resume(id);
    assertThat(state(id)).isEqualTo(CampaignState.RUNNING);
    assertThat(people.offsets()).as("the due batch is queued on resume").containsExactly(0L, 100L);
    engine().dispatchNow();
    assertThat(sentPerPhone()).hasSize(skipInAddressBook ? 199 : 200);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void cancel_cancelsPendingEntriesWithALogEach_andQueuesNothingMore(boolean skipInAddressBook) {
    addressBook.add(e164(7));
    String id = create(spec().skipRecipientsInAddressBook(skipInAddressBook));
    campaigns().start(id);
    long pending = skipInAddressBook ? 99 : 100;

    assertThat(campaigns().cancel(id)).isEqualTo((int) pending);

    assertThat(countByState(id)).isEqualTo(Map.of(EntryState.CANCELLED, pending));
    assertThat(engine().store().logs(LogQuery.all().withCampaign(id).withState(EntryState.CANCELLED)))
        .hasSize((int) pending).allSatisfy(l -> assertThat(l.reason()).isEqualTo("campaign_cancelled"));
    assertThat(engine().dispatchNow()).isZero();
    clock.advance(FIVE_MINUTES);
    assertThat(campaigns().runDueBatches()).isZero();
    assertThat(provider.sentCount()).isZero();
  }

  /**
   * A process that stopped between the cancel's two steps (the campaign, then its entries) left them open: parked
   * forever after a pause, or claimed and sent for the cancelled campaign. Now claims pass them over and the next
   * campaign-batches run cancels them.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void cancel_stoppedBeforeItsEntries_sendsNoneOfThem_andTheNextBatchRunCancelsThem(boolean pausedFirst) {
    String id = create(spec().skipRecipientsInAddressBook(false));
    campaigns().start(id);
    if (pausedFirst) campaigns().pause(id);
    CampaignState from = pausedFirst ? CampaignState.PAUSED : CampaignState.RUNNING;
    assertThat(engine().store().transitionCampaign(id, from, CampaignState.CANCELLED, clock.instant())).isTrue();

    assertThat(engine().dispatchNow()).isZero();
    campaigns().runDueBatches();

    assertThat(provider.sentCount()).isZero();
    assertThat(countByState(id)).isEqualTo(Map.of(EntryState.CANCELLED, 100L));
    assertThat(engine().store().logs(LogQuery.all().withCampaign(id).withState(EntryState.CANCELLED))).hasSize(100);
  }

  /** A target whose getter throws, as a lazily loaded entity can. */
  public static final class UnreadableTarget {
    public String getPhone() { throw new IllegalStateException("could not initialize proxy - no Session"); }
  }

  /** Before, the exception failed the whole batch before its cursor was saved: the campaign failed every batch after. */
  @Test
  void aTargetThatCannotBeRead_isSkippedWithItsReason_andTheCampaignGoesOn() {
    people = People.of(List.of(person(1), new UnreadableTarget(), person(2)));
    String id = create(spec());

    campaigns().start(id);

    assertThat(countByState(id)).isEqualTo(Map.of(EntryState.PENDING, 2L));
    assertThat(engine().store().logs(LogQuery.all().withCampaign(id))).singleElement()
        .satisfies(l -> assertThat(l.reason()).isEqualTo("target_error"));
    assertThat(campaigns().find(id).orElseThrow().cursor()).isEqualTo(3);
  }

  // ------------------------------------------------------------------ completion and progress

  @Test
  void campaign_completesOnlyWhenTargetsAreExhaustedAndNothingIsOpen() {
    people = People.generated(150, People::person);
    String id = create(spec());
    campaigns().start(id);
    engine().dispatchNow();
    clock.advance(FIVE_MINUTES);

    campaigns().runDueBatches();
    assertThat(campaigns().find(id).orElseThrow().exhausted()).as("the last batch noticed the end").isTrue();
    assertThat(state(id)).as("50 still pending").isEqualTo(CampaignState.RUNNING);
    engine().dispatchNow();
    campaigns().runDueBatches();

    assertThat(state(id)).isEqualTo(CampaignState.COMPLETED);
    assertThat(people.calls()).isEqualTo(2);
  }

  @Test
  void progress_countsEveryOutcome() {
    List<Object> targets = new ArrayList<>();
    LongStream.range(0, 10).forEach(i -> targets.add(person(i)));
    targets.add(person(0));                                      // duplicate
    targets.add(Map.of("phone", "12345", "name", "salah"));      // invalid
    people = People.of(targets);
    addressBook.add(e164(1));
    provider.failWith(m -> m.phone().equals(e164(3)) ? SendResult.permanent("131026", "not on WhatsApp") : null);
    String id = create(spec());
    engine().blacklist().add(e164(2), "minta berhenti");

    campaigns().start(id);
    CampaignProgress before = campaigns().progress(id);
    engine().dispatchNow();
    CampaignProgress after = campaigns().progress(id);

    assertThat(before.pending()).isEqualTo(9);
    assertThat(before.percent()).isEqualTo(10.0);
    assertThat(after).isEqualTo(new CampaignProgress(id, CampaignState.COMPLETED, true, 10, 9, 0, 7, 1, 2, 1, 0, 1, 100.0));
    assertThat(engine().store().logs(LogQuery.all().withCampaign(id).withState(EntryState.SKIPPED)))
        .extracting(DeliveryLog::reason).containsExactlyInAnyOrder("in_address_book", "invalid_phone", "blacklisted");
  }

  // ------------------------------------------------------------------ what a target is

  @Test
  void templateCampaign_usesTheTargetsFieldsAsTemplateValues() {
    people = People.of(List.of(Map.of("phone", "0812-1111-2222", "name", "Budi", "permit", "503/IMB/2026")));
    String id = create(CampaignSpec.builder("kampanye").template("permit_reminder").targets("people"));

    campaigns().start(id);
    engine().dispatchNow();

    assertThat(provider.sent()).singleElement().satisfies(m -> {
      assertThat(m.phone()).isEqualTo("+6281211112222");
      assertThat(m.text()).isEqualTo("Yth. Budi, izin 503/IMB/2026 berakhir dalam 30 hari.");
    });
  }

  @Test
  void templateCampaign_acceptsRecipientsAndPhoneStringsAsTargets() {
    people = People.of(List.of(Recipient.of("R-1", "Siti", "0812-3333-4444"), "+62 812 5555 6666"));
    String id = create(spec());

    campaigns().start(id);

    assertThat(engine().store().campaignEntries(id, 10)).extracting(e -> e.recipient())
        .containsExactlyInAnyOrder(new Recipient("R-1", "Siti", "+6281233334444"), new Recipient(null, null, "+6281255556666"));
  }

  @Test
  void ruleCampaign_appliesTheRuleToEachTarget_andLogsInvalidPhones() {
    people = People.of(List.of(new Permit("P-1", "503/IMB/2026", "Budi", "0812-1111-2222"),
        new Permit("P-2", "504/IMB/2026", "Salah", "not-a-phone")));
    String id = create(CampaignSpec.builder("kampanye").rule("permit_reminder_rule").targets("people"));

    campaigns().start(id);
    engine().dispatchNow();

    assertThat(provider.sent()).singleElement().satisfies(m -> {
      assertThat(m.phone()).isEqualTo("+6281211112222");
      assertThat(m.text()).isEqualTo("Yth. Budi, izin 503/IMB/2026 berakhir dalam 30 hari.");
    });
    assertThat(engine().store().campaignEntries(id, 10)).singleElement()
        .satisfies(e -> assertThat(e.ruleName()).isEqualTo("permit_reminder_rule"));
    assertThat(engine().store().logs(LogQuery.all().withCampaign(id).withState(EntryState.SKIPPED)))
        .extracting(DeliveryLog::reason).containsExactly("invalid_phone");
  }

  /** Before, the value was logged as it came, and a store with a bounded phone column (MariaDB) failed every batch. */
  @Test
  void targetWithAParagraphAsItsPhone_isLoggedInvalidWithThePhoneCutTo32Characters() {
    String contact = "0812-3456-7890 (kantor), 0813-1111-2222 (rumah), hubungi setelah jam 16.00; ".repeat(4);
    people = People.of(List.of(Map.of("phone", contact, "name", "Budi"), person(1)));
    String id = create(spec());

    campaigns().start(id);
    engine().dispatchNow();

    assertThat(campaigns().find(id).orElseThrow().cursor()).as("targets done").isEqualTo(2);
    assertThat(provider.sent()).extracting(OutboundMessage::phone).containsExactly(e164(1));
    assertThat(engine().store().logs(LogQuery.all().withCampaign(id).withState(EntryState.SKIPPED))).singleElement()
        .satisfies(l -> {
          assertThat(l.reason()).isEqualTo("invalid_phone");
          assertThat(l.phone()).isEqualTo("0812-3456-7890 (kantor), 0813-1…");
        });
  }

  /** Before, a phone read from a spreadsheet as a Double became "6.28123456789E12" and was logged invalid_phone. */
  @Test
  void templateCampaign_targetWithItsPhoneAsADouble_isSent() {
    people = People.of(List.of(Map.of("phone", 6.28123456789E12, "name", "Budi")));
    String id = create(spec());

    campaigns().start(id);
    engine().dispatchNow();

    assertThat(provider.sent()).extracting(OutboundMessage::phone).containsExactly("+6281234567890");
  }

  @Test
  void ruleCampaign_withATemplate_sendsThatTemplateInsteadOfTheRules() {
    people = People.of(List.of(new Permit("P-1", "503/IMB/2026", "Budi", "0812-1111-2222")));
    String id = create(CampaignSpec.builder("kampanye").rule("permit_reminder_rule").template("reminder").targets("people"));

    campaigns().start(id);
    engine().dispatchNow();

    assertThat(provider.sent()).singleElement()
        .satisfies(m -> assertThat(m.text()).isEqualTo("Yth. Budi, izin Anda berakhir dalam 30 hari."));
  }

  @Test
  void runDueBatches_aFailingTargetSourceDoesNotStopOtherCampaigns_andItsCursorStays() {
    String broken = create(CampaignSpec.builder("rusak").template("reminder").targets("broken"));
    String fine = create(spec());
    assertThatThrownBy(() -> campaigns().start(broken)).isInstanceOf(IllegalStateException.class)
        .hasMessage("host database is down");
    campaigns().start(fine);
    clock.advance(FIVE_MINUTES);

    assertThatThrownBy(() -> campaigns().runDueBatches()).isInstanceOf(IllegalStateException.class)
        .hasMessage("host database is down");

    assertThat(countByState(fine)).isEqualTo(Map.of(EntryState.PENDING, 200L));
    assertThat(campaigns().find(broken).orElseThrow().cursor()).isZero();
    assertThat(state(broken)).isEqualTo(CampaignState.RUNNING);
  }

  // ------------------------------------------------------------------ fixture

  /** A host record as a Java record. */
  public record Permit(String id, String number, String holder, String phone) {}

  private NotificationEngine build(NotificationStore store) {
    return NotificationEngine.builder()
        .store(store)
        .clock(clock)
        .zone(JAKARTA)
        .provider(provider)
        .backgroundDispatch(false)
        .environment(k -> null)
        .template(MessageTemplate.of("reminder", "Yth. {{recipient_name}}, izin Anda berakhir dalam 30 hari."))
        .template(MessageTemplate.of("permit_reminder", "Yth. {{name}}, izin {{permit}} berakhir dalam 30 hari."))
        .trigger(Trigger.manual("permit_campaign").build())
        .rule(Rule.builder("permit_reminder_rule").trigger("permit_campaign")
            .recipients(Recipients.field("record.phone", "record.holder"))
            .context("name", "record.holder").context("permit", "record.number")
            .template("permit_reminder").build())
        .targetSource("people", new TargetSource() {
          @Override public Stream<?> targets(Map<String, String> params) { return people.targets(params); }
          @Override public Stream<?> targets(Map<String, String> params, long offset) {
            beforeTargets.run();
            return people.targets(params, offset);
          }
        })
        .targetSource("broken", params -> {
          throw new IllegalStateException("host database is down");
        })
        .addressBook(addressBook::contains)
        .campaignEnqueueLanes(2)
        .build()
        .start();
  }

  /** The engine, started on the store under test at first use. */
  protected NotificationEngine engine() {
    if (engine == null) engine = build(openStore());
    return engine;
  }

  /** Closes the engine and starts a new one on the same data, as after a process restart. */
  protected void restart() {
    if (engine != null) engine.close();
    engine = null;
    engine();
  }

  private dev.notify.core.Campaigns campaigns() { return engine().campaigns(); }

  private CampaignSpec.Builder spec() {
    return CampaignSpec.builder("kampanye").template("reminder").targets("people");
  }

  private String create(CampaignSpec.Builder spec) { return campaigns().create(spec.build()); }

  private CampaignState state(String id) { return campaigns().find(id).orElseThrow().state(); }

  private Map<EntryState, Long> countByState(String id) { return engine().store().countByState(id); }

  private Map<String, Long> sentPerPhone() {
    return provider.sent().stream().collect(Collectors.groupingBy(OutboundMessage::phone, Collectors.counting()));
  }

  /** A campaign called 'kampanye' moved to {@code state} the way an operator would. */
  private String campaignIn(CampaignState state) {
    if (state == CampaignState.COMPLETED) people = People.generated(3, People::person);
    CampaignSpec.Builder spec = spec();
    if (state == CampaignState.SCHEDULED) spec.scheduledAt(T0.plus(Duration.ofHours(1)));
    String id = create(spec);
    switch (state) {
      case DRAFT:
        break;
      case SCHEDULED:
      case RUNNING:
        campaigns().start(id);
        break;
      case PAUSED:
        campaigns().start(id);
        campaigns().pause(id);
        break;
      case COMPLETED:
        campaigns().start(id);
        engine().dispatchNow();
        campaigns().runDueBatches();
        break;
      case CANCELLED:
        campaigns().cancel(id);
        break;
      default:
        throw new AssertionError(state);
    }
    assertThat(state(id)).isEqualTo(state);
    return id;
  }
}
