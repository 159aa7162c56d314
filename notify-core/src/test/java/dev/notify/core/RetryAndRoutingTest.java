package dev.notify.core;

import static dev.notify.core.EngineFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.spi.LogQuery;
import dev.notify.core.spi.SendResult;
import dev.notify.core.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryAndRoutingTest {
  private final MutableClock clock = clock();
  private NotificationEngine engine;

  @AfterEach
  void close() {
    if (engine != null) engine.close();
  }

  private NotificationEngine.Builder base(RecordingProvider p) {
    return builder(clock, p).trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("t", "hi"))
        .retryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(10), 0.0);
  }

  private Rule.Builder rule() {
    return Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t");
  }

  private QueueEntry only() {
    return engine.store().entries(null, 10).get(0);
  }

  @Test
  void retryableFailure_backsOffExponentially_thenFailsAfterMaxRetries() {
    RecordingProvider p = new RecordingProvider().failWith(m -> SendResult.retryable("503", "down"));
    engine = base(p).rule(rule().maxRetries(2).build()).build().start();
    engine.fire("m", Map.of(), Map.of());

    engine.dispatchNow();
    assertThat(only().state()).isEqualTo(EntryState.PENDING);
    assertThat(only().attempts()).isEqualTo(1);
    assertThat(only().scheduledAt()).isEqualTo(T0.plusSeconds(10));
    assertThat(only().lastError()).isEqualTo("503: down");

    clock.advance(Duration.ofSeconds(10));
    engine.dispatchNow();
    assertThat(only().attempts()).isEqualTo(2);
    assertThat(only().scheduledAt()).isEqualTo(T0.plusSeconds(10 + 20));

    clock.advance(Duration.ofSeconds(20));
    engine.dispatchNow();
    assertThat(only().state()).isEqualTo(EntryState.FAILED);
    assertThat(only().attempts()).isEqualTo(3);
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> {
      assertThat(l.state()).isEqualTo(EntryState.FAILED);
      assertThat(l.reason()).isEqualTo("503");
      assertThat(l.attempts()).isEqualTo(3);
    });
  }

  @Test
  void retryAfter_fromTheProvider_isHonoured() {
    RecordingProvider p = new RecordingProvider().failWith(m -> m.attempt() == 1 ? SendResult.retryable("429", "slow down", Duration.ofSeconds(42)) : null);
    engine = base(p).rule(rule().build()).build().start();
    engine.fire("m", Map.of(), Map.of());

    engine.dispatchNow();

    assertThat(only().scheduledAt()).isEqualTo(T0.plusSeconds(42));
    clock.advance(Duration.ofSeconds(42));
    engine.dispatchNow();
    assertThat(only().state()).isEqualTo(EntryState.SENT);
    assertThat(only().attempts()).isEqualTo(2);
  }

  @Test
  void permanentFailure_failsAtOnceWithTheProvidersCode() {
    RecordingProvider p = new RecordingProvider().failWith(m -> SendResult.permanent("131026", "not on WhatsApp"));
    engine = base(p).rule(rule().build()).build().start();
    engine.fire("m", Map.of(), Map.of());

    engine.dispatchNow();

    assertThat(only().state()).isEqualTo(EntryState.FAILED);
    assertThat(only().attempts()).isEqualTo(1);
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> {
      assertThat(l.reason()).isEqualTo("131026");
      assertThat(l.message()).isEqualTo("not on WhatsApp");
    });
  }

  @Test
  void providerThrowing_isTreatedAsRetryable() {
    RecordingProvider p = new RecordingProvider().failWith(m -> { throw new IllegalStateException("boom"); });
    engine = base(p).rule(rule().build()).build().start();
    engine.fire("m", Map.of(), Map.of());

    engine.dispatchNow();

    assertThat(only().state()).isEqualTo(EntryState.PENDING);
    assertThat(only().lastError()).isEqualTo("exception: IllegalStateException");
  }

  @Test
  void failingFirstProvider_opensItsCircuit_sendsGoToTheNext_andComeBackAfterRecovery() {
    AtomicInteger primaryCalls = new AtomicInteger();
    boolean[] primaryDown = {true};
    RecordingProvider primary = new RecordingProvider("primary", null).failWith(m -> {
      primaryCalls.incrementAndGet();
      return primaryDown[0] ? SendResult.retryable("500", "down") : null;
    });
    RecordingProvider backup = new RecordingProvider("backup", null);
    engine = NotificationEngine.builder().clock(clock).zone(JAKARTA).environment(k -> null).backgroundDispatch(false)
        .provider(primary).provider(backup).circuitBreaker(2, Duration.ofMinutes(1))
        .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.0)
        .trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "hi"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").maxRetries(5).build())
        .build().start();

    for (int i = 0; i < 2; i++) engine.fire("m", Map.of("phone", "08123456789" + i), Map.of());
    engine.dispatchNow(); // both fail on primary: circuit opens
    clock.advance(Duration.ofSeconds(1));
    engine.dispatchNow(); // retries go to backup
    assertThat(backup.sentCount()).isEqualTo(2);
    assertThat(primaryCalls.get()).isEqualTo(2);

    primaryDown[0] = false;
    clock.advance(Duration.ofMinutes(1));
    engine.fire("m", Map.of("phone", "081234567899"), Map.of());
    engine.dispatchNow(); // half-open trial on primary succeeds
    assertThat(primary.sentCount()).isEqualTo(1);
    engine.fire("m", Map.of("phone", "081234567898"), Map.of());
    engine.dispatchNow();
    assertThat(primary.sentCount()).isEqualTo(2);
    assertThat(backup.sentCount()).isEqualTo(2);
  }

  @Test
  void failuresForOneRecipientOnly_doNotOpenTheProvidersCircuit() {
    RecordingProvider primary = new RecordingProvider("primary", null).failWith(m -> m.phone().endsWith("0")
        ? SendResult.retryableForRecipient("131056", "pair rate limit", null) : null);
    RecordingProvider backup = new RecordingProvider("backup", null);
    engine = NotificationEngine.builder().clock(clock).zone(JAKARTA).environment(k -> null).backgroundDispatch(false)
        .provider(primary).provider(backup).circuitBreaker(2, Duration.ofMinutes(1))
        .trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "hi"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t")
            .dedupe("record.n", Duration.ofHours(1)).build())
        .build().start();

    for (int i = 0; i < 3; i++) engine.fire("m", Map.of("phone", "081234567890", "n", i), Map.of());
    engine.dispatchNow(); // three refusals for one recipient, more than the circuit's threshold of 2
    engine.fire("m", Map.of("phone", "081234567891", "n", 9), Map.of());
    engine.dispatchNow();

    assertThat(primary.sentCount()).isEqualTo(1);
    assertThat(backup.sentCount()).isZero();
  }

  /** A store that fails a dispatch pass claiming more than 500 times: the claimer spinning on entries put off to the past. */
  private dev.notify.core.internal.ForwardingStore spinGuardedStore(AtomicInteger claims) {
    return new dev.notify.core.internal.ForwardingStore(InMemoryStore.create()) {
      @Override public java.util.List<QueueEntry> claimDue(java.time.Instant now, int limit, String owner, java.time.Instant leaseUntil) {
        if (claims.incrementAndGet() > 500) throw new StoreException("spin guard: over 500 claims in one dispatch pass");
        return super.claimDue(now, limit, owner, leaseUntil);
      }
    };
  }

  /**
   * Before, the entry that took a half-open circuit's one trial and was then put off by its rule's rate limit never
   * gave the trial back: the provider was never used again on this node, and every later entry was put off to an
   * instant already past and claimed again at once, over and over.
   */
  @Test
  void halfOpenTrial_takenByAnEntryPutOffByItsRuleRateLimit_isGivenBack() {
    boolean[] down = {true};
    AtomicInteger claims = new AtomicInteger();
    RecordingProvider p = new RecordingProvider().failWith(m -> down[0] ? SendResult.retryable("503", "down") : null);
    engine = base(p).store(spinGuardedStore(claims)).retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 0.0)
        .circuitBreaker(1, Duration.ofMinutes(1))
        .rule(Rule.builder("limited").trigger("m").recipients(Recipients.of("081234567890")).template("t")
            .condition("params.free == false").rateLimit(RateLimit.perHour(1)).build())
        .rule(Rule.builder("free").trigger("m").recipients(Recipients.of("081234567891")).template("t")
            .condition("params.free == true").build())
        .build().start();
    engine.fire("m", Map.of(), Map.of("free", false));
    engine.dispatchNow(); // fails: the circuit opens, and the hour's one permit is used
    down[0] = false;
    clock.advance(Duration.ofMinutes(2));
    engine.dispatchNow(); // 'limited' takes the trial, then its rule's limit puts it off to the next hour

    engine.fire("m", Map.of(), Map.of("free", true));
    claims.set(0);
    engine.dispatchNow();

    assertThat(p.sent()).singleElement().satisfies(m -> assertThat(m.phone()).isEqualTo("+6281234567891"));
  }

  /** Before, a test send during half-open took the trial and never reported: the provider was never used again. */
  @Test
  void testSend_duringHalfOpen_endsTheTrial_andItsSuccessClosesTheCircuit() {
    boolean[] down = {true};
    AtomicInteger claims = new AtomicInteger();
    RecordingProvider p = new RecordingProvider().failWith(m -> down[0] ? SendResult.retryable("503", "down") : null);
    engine = base(p).store(spinGuardedStore(claims)).circuitBreaker(1, Duration.ofMinutes(1))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").build())
        .build().start();
    engine.fire("m", Map.of("phone", "081234567890"), Map.of());
    engine.dispatchNow(); // fails: the circuit opens
    down[0] = false;
    clock.advance(Duration.ofMinutes(2));

    assertThat(engine.testSend("t", "081234567899", Map.of())).isInstanceOf(SendResult.Accepted.class);
    clock.advance(Duration.ofSeconds(10)); // the entry's retry is due
    claims.set(0);
    engine.dispatchNow();

    assertThat(p.sent()).extracting(m -> m.phone()).containsExactly("+6281234567899", "+6281234567890");
  }

  /** Before, while a trial was in flight, entries finding no provider were put off to the circuit's past reopening. */
  @Test
  void retryAt_whileATrialIsInFlight_isAtLeastASecondAway() {
    RecordingProvider p = new RecordingProvider();
    dev.notify.core.internal.ProviderRouter router = new dev.notify.core.internal.ProviderRouter(
        Map.of("recording", p), clock, 1, Duration.ofMinutes(1));
    router.onRetryableFailure("recording");
    clock.advance(Duration.ofMinutes(2));

    assertThat(router.choose(java.util.List.of())).hasValueSatisfying(pick -> assertThat(pick.trial()).isTrue());
    assertThat(router.choose(java.util.List.of())).isEmpty();
    assertThat(router.retryAt(java.util.List.of())).isEqualTo(clock.instant().plusSeconds(1));
  }

  /**
   * Before, every entry of a rule whose window was full still took one of the provider's per-second permits before
   * its rule refused it: another rule's message waited 11 s behind 30 such entries at 3 messages a second.
   */
  @Test
  void entriesOfARuleWhoseWindowIsFull_leaveTheProvidersPermitsToOtherRules() {
    RecordingProvider p = new RecordingProvider();
    engine = base(p).trigger(Trigger.manual("b").build()).providerRateLimit("recording", 3)
        .rule(Rule.builder("limited").trigger("m").recipients(Recipients.field("record.phone")).template("t")
            .rateLimit(RateLimit.perHour(1)).build())
        .rule(Rule.builder("urgent").trigger("b").recipients(Recipients.field("record.phone")).template("t").build())
        .build().start();
    for (int i = 0; i < 30; i++) engine.fire("m", Map.of("phone", String.format("0812345678%02d", i)), Map.of());
    engine.fire("b", Map.of("phone", "081299999999"), Map.of());

    engine.dispatchNow();
    clock.advance(Duration.ofSeconds(1));
    engine.dispatchNow();

    assertThat(p.sent()).extracting(m -> m.phone()).contains("+6281299999999");
  }

  /** Before, a backlog over the provider's per-second limit was put off to the next second whole, every second. */
  @Test
  void backlogOverTheProvidersPerSecondLimit_isPutOffOnceEachNotEverySecond() {
    AtomicInteger postponements = new AtomicInteger();
    dev.notify.core.spi.NotificationStore store = new dev.notify.core.internal.ForwardingStore(InMemoryStore.create()) {
      @Override public java.util.List<String> complete(java.util.List<dev.notify.core.spi.EntryUpdate> updates) {
        updates.forEach(u -> { if (u.state() == EntryState.PENDING) postponements.incrementAndGet(); });
        return super.complete(updates);
      }
    };
    RecordingProvider p = new RecordingProvider();
    engine = base(p).store(store).providerRateLimit("recording", 10)
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").build())
        .build().start();
    for (int i = 0; i < 500; i++) engine.fire("m", Map.of("phone", String.format("081234567%03d", i)), Map.of());

    for (int s = 0; s < 50; s++) {
      engine.dispatchNow();
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(p.sentCount()).isEqualTo(500);
    assertThat(postponements.get()).as("each of the 490 entries over the first second's limit put off once").isEqualTo(490);
  }

  /** An urgent entry the per-second limit refused once is not put behind a backlog of lower priority. */
  @Test
  void urgentEntryRefusedByTheProvidersPerSecondLimit_goesBeforeTheLowPriorityBacklog() {
    RecordingProvider p = new RecordingProvider();
    engine = base(p).trigger(Trigger.manual("urgent").build()).providerRateLimit("recording", 10)
        .rule(Rule.builder("bulk").trigger("m").recipients(Recipients.field("record.phone")).template("t").priority(1).build())
        .rule(Rule.builder("urgent").trigger("urgent").recipients(Recipients.field("record.phone")).template("t").priority(9).build())
        .build().start();
    for (int i = 0; i < 100; i++) engine.fire("m", Map.of("phone", String.format("0812345678%02d", i)), Map.of());
    engine.dispatchNow(); // 10 sent this second, 90 put off
    engine.fire("urgent", Map.of("phone", "081299999999"), Map.of());
    engine.dispatchNow(); // this second's permits are used: put off

    clock.advance(Duration.ofSeconds(1));
    engine.dispatchNow();

    assertThat(p.sent()).extracting(m -> m.phone()).contains("+6281299999999");
  }

  @Test
  void providerRateLimit_postponesBeyondItsMessagesPerSecond() {
    RecordingProvider p = new RecordingProvider();
    engine = base(p).providerRateLimit("recording", 3)
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").build())
        .build().start();
    for (int i = 0; i < 5; i++) engine.fire("m", Map.of("phone", "08123456780" + i), Map.of());

    engine.dispatchNow();
    assertThat(p.sentCount()).isEqualTo(3);
    clock.advance(Duration.ofSeconds(1));
    engine.dispatchNow();
    assertThat(p.sentCount()).isEqualTo(5);
    assertThat(engine.store().entries(EntryState.SENT, 10)).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(1));
  }

  /**
   * Before, an entry took the rule's hourly permit and was then put off by the provider's per-second limit, which
   * does not give it back: of 10 entries under a limit of 10 per hour, 3 were sent and 7 waited for the next hour.
   */
  @Test
  void ruleRateLimit_isNotUsedUpByEntriesThatTheProviderRateLimitPutsOff() {
    RecordingProvider p = new RecordingProvider();
    engine = base(p).providerRateLimit("recording", 3)
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t")
            .rateLimit(RateLimit.perHour(10)).build())
        .build().start();
    for (int i = 0; i < 10; i++) engine.fire("m", Map.of("phone", "0812345678" + String.format("%02d", i)), Map.of());

    for (int second = 0; second < 4; second++) {
      engine.dispatchNow();
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(p.sentCount()).isEqualTo(10);
  }

  /** Before, a failing store call before the send counted as an attempt: with no retries left, FAILED unsent. */
  @Test
  void aStoreCallThatFailsBeforeTheSend_putsTheEntryOffWithoutCountingAnAttempt() {
    RecordingProvider p = new RecordingProvider();
    java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
    dev.notify.core.spi.NotificationStore store = new dev.notify.core.internal.ForwardingStore(InMemoryStore.create()) {
      @Override public java.util.List<BlacklistEntry> blacklist() {
        if (failOnce.getAndSet(false)) throw new StoreException("connection reset");
        return super.blacklist();
      }
    };
    engine = base(p).store(store).rule(rule().maxRetries(0).build()).build().start();
    engine.fire("m", Map.of(), Map.of());

    engine.dispatchNow();
    assertThat(only().state()).isEqualTo(EntryState.PENDING);
    assertThat(only().attempts()).isZero();
    clock.advance(Duration.ofSeconds(5));
    engine.dispatchNow();

    assertThat(p.sentCount()).isEqualTo(1);
    assertThat(only().state()).isEqualTo(EntryState.SENT);
  }

  /** Before, the Error escaped: the entry stayed PROCESSING and failed the same way after every lease, forever. */
  @Test
  void aProviderThatThrowsAnError_failsTheAttemptLikeAnyOtherUnexpectedFailure() {
    RecordingProvider p = new RecordingProvider();
    p.failWith(m -> { throw new NoClassDefFoundError("com/example/MissingDependency"); });
    engine = base(p).rule(rule().maxRetries(0).build()).build().start();
    engine.fire("m", Map.of(), Map.of());

    engine.dispatchNow();

    assertThat(only().state()).isEqualTo(EntryState.FAILED);
    assertThat(only().attempts()).isEqualTo(1);
    assertThat(only().lastError()).contains("NoClassDefFoundError");
  }

  @Test
  void entryClaimedByANodeThatDied_isSentByAnotherAfterTheLeaseExpires() {
    InMemoryStore store = InMemoryStore.create();
    RecordingProvider p = new RecordingProvider();
    engine = base(p).store(store).lease(Duration.ofMinutes(2)).rule(rule().build()).build().start();
    engine.fire("m", Map.of(), Map.of());
    // a node claims it and dies before completing
    assertThat(store.claimDue(clock.instant(), 10, "dead-node", clock.instant().plus(Duration.ofMinutes(2)))).hasSize(1);

    assertThat(engine.dispatchNow()).isZero();
    clock.advance(Duration.ofMinutes(2).plusMillis(1));
    assertThat(engine.dispatchNow()).isEqualTo(1);
    assertThat(p.sentCount()).isEqualTo(1);
  }

  @Test
  void close_waitsForInFlightSends_andStoresTheirOutcome() throws Exception {
    java.util.concurrent.CountDownLatch inSend = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    RecordingProvider p = new RecordingProvider().failWith(m -> {
      inSend.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    NotificationEngine e = NotificationEngine.builder().clock(java.time.Clock.systemUTC()).environment(k -> null).provider(p)
        .shutdownTimeout(Duration.ofSeconds(30)).trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "hi"))
        .rule(rule().build()).build().start();
    String id = e.fire("m", Map.of(), Map.of()).queued().get(0).id();
    assertThat(inSend.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(e::close);
    closer.start();
    release.countDown();
    closer.join(30_000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(e.store().findEntry(id).orElseThrow().state()).isEqualTo(EntryState.SENT);
  }

  @Test
  void close_releasesTheLeasesOfClaimedEntriesItCouldNotFinish() throws Exception {
    java.util.concurrent.CountDownLatch inSend = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    RecordingProvider p = new RecordingProvider().failWith(m -> {
      inSend.countDown();
      try {
        never.await(); // a provider call that hangs; close() interrupts it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SendResult.retryable("interrupted", "shutdown");
    });
    InMemoryStore store = InMemoryStore.create();
    NotificationEngine e = NotificationEngine.builder().clock(java.time.Clock.systemUTC()).environment(k -> null).provider(p).store(store)
        .workers(1).shutdownTimeout(Duration.ofMillis(50)).trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "hi"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").build()).build().start();
    for (int i = 0; i < 5; i++) e.fire("m", Map.of("phone", "08123456780" + i), Map.of());
    assertThat(inSend.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    e.close();

    assertThat(store.countByState(null).getOrDefault(EntryState.PROCESSING, 0L)).as("no entry left leased by the closed engine").isZero();
    assertThat(store.countByState(null).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
    assertThat(store.entries(EntryState.PENDING, 10)).hasSizeGreaterThanOrEqualTo(4).allSatisfy(x -> assertThat(x.leaseOwner()).isNull());
  }
}
