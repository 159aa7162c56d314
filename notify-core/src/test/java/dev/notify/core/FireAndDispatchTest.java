package dev.notify.core;

import static dev.notify.core.EngineFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.spi.LogQuery;
import dev.notify.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FireAndDispatchTest {
  private final MutableClock clock = clock();
  private final RecordingProvider provider = new RecordingProvider();
  private NotificationEngine engine;

  private NotificationEngine start(NotificationEngine.Builder b) {
    engine = b.build().start();
    return engine;
  }

  @AfterEach
  void close() {
    if (engine != null) engine.close();
  }

  @Test
  void fire_queuesEntry_andDispatchSendsItAndWritesOneLog() {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().build()));

    FireResult r = engine.fire(TriggerEvent.builder("permit_state_change").record(permit("approved")).old(permit("draft")).build());

    assertThat(r.queuedCount()).isEqualTo(1);
    QueueEntry q = r.queued().get(0);
    assertThat(q.recipient().phone()).isEqualTo("+6281234567890");
    assertThat(q.state()).isEqualTo(EntryState.PENDING);
    assertThat(provider.sentCount()).isZero();

    assertThat(engine.dispatchNow()).isEqualTo(1);

    assertThat(provider.sent()).singleElement().satisfies(m -> {
      assertThat(m.phone()).isEqualTo("+6281234567890");
      assertThat(m.text()).isEqualTo("Yth. Budi Santoso, izin 503/IMB/2026 telah terbit.");
    });
    QueueEntry sent = engine.store().findEntry(q.id()).orElseThrow();
    assertThat(sent.state()).isEqualTo(EntryState.SENT);
    assertThat(sent.externalId()).isEqualTo("recording-1");
    assertThat(sent.provider()).isEqualTo("recording");
    List<DeliveryLog> logs = engine.store().logs(LogQuery.all());
    assertThat(logs).singleElement().satisfies(l -> {
      assertThat(l.entryId()).isEqualTo(q.id());
      assertThat(l.state()).isEqualTo(EntryState.SENT);
      assertThat(l.processingMillis()).isGreaterThanOrEqualTo(0);
      assertThat(l.attempts()).isEqualTo(1);
    });
  }

  @Test
  void fire_acceptsMapsAndJavaBeansAsRecords() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").build())
        .template(MessageTemplate.of("t", "Status {{s}}"))
        .rule(Rule.builder("r2").trigger("m").condition("params.extra == true")
            .recipients(Recipients.field("record.phone")).context("s", "record.state").template("t").build()));

    FireResult bean = engine.fire("m", new PermitBean("B-1", "signed", "081311112222"), Map.of("extra", true));
    FireResult map = engine.fire("m", Map.of("phone", "+62 813 3333 4444", "state", "x"), Map.of());

    assertThat(bean.queued()).extracting(e -> e.recipient().phone()).containsOnly("+6281311112222");
    assertThat(bean.queued()).filteredOn(e -> e.ruleName().equals("r2")).singleElement()
        .satisfies(e -> assertThat(e.context()).containsEntry("s", "signed"));
    assertThat(map.queued()).extracting(e -> e.recipient().phone()).containsExactly("+6281333334444");
    assertThat(map.skipped()).extracting(FireResult.Skip::reason).containsExactly("condition_false");
  }

  @Test
  void fire_withUnknownTrigger_throwsNamingItAndQueuesNothing() {
    start(builder(clock, provider).trigger(approvedTrigger()));

    assertThatThrownBy(() -> engine.fire("no_such", Map.of(), Map.of()))
        .isInstanceOf(UnknownTriggerException.class)
        .hasMessageContaining("unknown trigger 'no_such'")
        .hasMessageContaining("permit_state_change");
    assertThat(engine.store().entries(null, 10)).isEmpty();
  }

  @Test
  void fire_beforeStart_isAClearError() {
    NotificationEngine e = builder(clock, provider).build();
    assertThatThrownBy(() -> e.fire("x", Map.of(), Map.of())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call start() first");
  }

  @Test
  void ruleConditionFalse_isReportedAsSkippedWithReason() {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().build()));

    FireResult r = engine.fire(TriggerEvent.builder("permit_state_change").record(permit("approved")).old(permit("review")).build());

    assertThat(r.queued()).isEmpty();
    assertThat(r.skipped()).containsExactly(new FireResult.Skip("notify_permit_approved", "condition_false",
        "rule 'notify_permit_approved' condition is false"));
  }

  @Test
  void inactiveRule_isSkippedWithReasonInactive() {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().active(false).build()));

    FireResult r = engine.fire("permit_state_change", permit("approved"), Map.of());

    assertThat(r.queued()).isEmpty();
    assertThat(r.skippedFor("inactive")).isTrue();
  }

  /** {@code inner}, except that writing logs not tied to a claimed entry fails. */
  private static dev.notify.core.spi.NotificationStore failingLogWrites(InMemoryStore inner) {
    return new dev.notify.core.internal.ForwardingStore(inner) {
      @Override public void appendLogs(List<DeliveryLog> logs) { throw new StoreException("database down"); }
    };
  }

  /** Before, the call failed after its entry was committed: the caller saw nothing queued, and a retry queued it twice. */
  @Test
  void skipLogsThatCannotBeWritten_afterEntriesWereQueued_doNotFailTheFire() {
    InMemoryStore inner = InMemoryStore.create();
    dev.notify.core.spi.NotificationStore store = failingLogWrites(inner);
    start(builder(clock, provider).store(store).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890"), Recipients.field("record.phone"))
            .template("permit_ready").context("partner_name", "'Siti'").context("permit_number", "'1'").build()));

    FireResult r = engine.fire("m", Map.of("phone", "12ab"), Map.of());

    assertThat(r.queued()).hasSize(1);
    assertThat(r.skippedFor("invalid_phone")).isTrue();
    assertThat(inner.entries(null, 10)).hasSize(1);
  }

  @Test
  void skipLogsThatCannotBeWritten_whenNothingWasQueued_failTheFire() {
    dev.notify.core.spi.NotificationStore store = failingLogWrites(InMemoryStore.create());
    start(builder(clock, provider).store(store).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("permit_ready").build()));

    assertThatThrownBy(() -> engine.fire("m", Map.of("phone", "12ab"), Map.of())).isInstanceOf(StoreException.class)
        .hasMessage("database down");
  }

  /** Before, a Double context value was written as Java prints it: "Biaya 1.5E7". */
  @Test
  void numericContextValues_areWrittenOutInFull() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("fee", "Biaya {{fee}}, denda {{fine}}, luas {{area}} m2"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("fee")
            .context("fee", "record.fee").context("fine", "record.fine").context("area", "record.area").build()));

    engine.fire("m", Map.of("fee", 15_000_000.0, "fine", new java.math.BigDecimal("1E+5"), "area", 12.5), Map.of());
    engine.dispatchNow();

    assertThat(provider.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Biaya 15000000, denda 100000, luas 12.5 m2"));
  }

  /**
   * A JSON form bound to BigDecimal accepts "1e999999999". Before, the value was written out: a billion characters
   * built on the host's thread inside fire() (seconds of CPU, then OutOfMemoryError).
   */
  @Test
  void hugeExponentContextValues_keepTheirExponent() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("fee", "Biaya {{fee}}, denda {{fine}}, luas {{area}}"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("fee")
            .context("fee", "record.fee").context("fine", "record.fine").context("area", "record.area").build()));

    FireResult r = engine.fire("m", Map.of("fee", new java.math.BigDecimal("1e999999999"),
        "fine", new java.math.BigDecimal("1e-999999999"), "area", new java.math.BigDecimal("1e100")), Map.of());

    assertThat(r.queued()).singleElement().satisfies(e -> assertThat(e.context())
        .containsEntry("fee", "1E+999999999").containsEntry("fine", "1E-999999999").containsEntry("area", "1" + "0".repeat(100)));
  }

  /** Before, arithmetic on doubles showed its binary noise: "Biaya 1650000.0000000002". */
  @Test
  void computedDoubles_areWrittenWithoutBinaryNoise() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("fee", "Biaya {{fee}}, pajak {{tax}}, rekening {{account}}"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("fee")
            .context("fee", "record.fee * 1.1").context("tax", "record.rate * 3").context("account", "record.account").build()));

    engine.fire("m", Map.of("fee", 1_500_000, "rate", 0.1, "account", 1234567890123456.0), Map.of());
    engine.dispatchNow();

    assertThat(provider.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Biaya 1650000, pajak 0.3, rekening 1234567890123456"));
  }

  /** Before, a rule with a malformed fixed number was saved, and every fire logged invalid_phone for it. */
  @Test
  void aRuleWithAMalformedFixedNumber_isRefusedWhenSaved() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build()));

    assertThatThrownBy(() -> engine.rules().save(Rule.builder("r").trigger("m").recipients(Recipients.of("0812-abc"))
        .template("permit_ready").build()))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("rule 'r' has the fixed recipient '0812***c', which is not a valid phone number");
    assertThat(engine.rules().list()).isEmpty();
  }

  @Test
  void invalidPhone_givesSkippedLogWithReason_andNoException() {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().build()));

    FireResult r = engine.fire("permit_state_change", new Permit("P-9", "1", "approved", "X", "12ab"), Map.of());

    assertThat(r.queued()).isEmpty();
    assertThat(r.skippedFor("invalid_phone")).isTrue();
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> {
      assertThat(l.state()).isEqualTo(EntryState.SKIPPED);
      assertThat(l.reason()).isEqualTo("invalid_phone");
      assertThat(l.ruleName()).isEqualTo("notify_permit_approved");
    });
  }

  /** Before, each of these was logged invalid_phone, though libphonenumber reads every one as +6281234567890. */
  @ParameterizedTest
  @ValueSource(strings = {"\u202A+62 812-3456-7890\u202C", "0812\u00A03456\u00A07890",
      "\uFF10\uFF18\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19\uFF10", "0812\u20133456\u20137890",
      "0812\u200B3456\u200B7890", "tel:+62-812-3456-7890"})
  void numberCopiedFromWhatsAppOrASpreadsheet_isQueued(String phone) {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().build()));

    FireResult r = engine.fire("permit_state_change", new Permit("P-9", "1", "approved", "X", phone), Map.of());

    assertThat(r.skipped()).isEmpty();
    assertThat(r.queued()).singleElement().satisfies(e -> assertThat(e.recipient().phone()).isEqualTo("+6281234567890"));
  }

  @Test
  void blacklist_acceptsANumberWithNoBreakSpaces() {
    start(builder(clock, provider));

    engine.blacklist().add("0813\u00A01111\u00A02222", "membalas STOP");

    assertThat(engine.blacklist().contains("+6281311112222")).isTrue();
  }

  /**
   * Before, the value was logged as it came: a free-text contact column of 300 characters did not fit a store's
   * phone column (MariaDB: VARCHAR(255)), and fire() threw instead of logging the skip.
   */
  @Test
  void invalidPhoneLongerThanAnyNumber_isLoggedCutTo32Characters() {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().build()));
    String contact = "0812-3456-7890 (kantor), 0813-1111-2222 (rumah), hubungi setelah jam 16.00; ".repeat(4);

    FireResult r = engine.fire("permit_state_change", new Permit("P-9", "1", "approved", "X", contact), Map.of());

    assertThat(r.skippedFor("invalid_phone")).isTrue();
    assertThat(r.skipped()).singleElement().satisfies(s -> assertThat(s.detail()).hasSizeLessThan(100));
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> {
      assertThat(l.reason()).isEqualTo("invalid_phone");
      assertThat(l.phone()).isEqualTo("0812-3456-7890 (kantor), 0813-1…");
    });
  }

  @Test
  void expressionFailingOnARecord_isSkippedAsError_notThrownToTheHost() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").condition("record.a.b == 1").recipients(Recipients.of("081234567890")).template("permit_ready").build()));

    FireResult r = engine.fire("m", Map.of("x", 1), Map.of());

    assertThat(r.queued()).isEmpty();
    assertThat(r.skipped()).singleElement().satisfies(s -> {
      assertThat(s.reason()).isEqualTo("error");
      assertThat(s.detail()).contains("rule 'r' condition");
    });
  }

  @Test
  void missingTemplateVariable_failsPermanentlyNamingTemplateAndVariable() {
    start(builder(clock, provider).trigger(approvedTrigger())
        .rule(approvedRule().build().toBuilder().condition("true").build()));
    // a record without a number: permit_number stays unset
    engine.fire("permit_state_change", Map.of("state", "approved", "applicantPhone", "081234567890", "applicantName", "A"), Map.of());

    engine.dispatchNow();

    assertThat(provider.sentCount()).isZero();
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> {
      assertThat(l.state()).isEqualTo(EntryState.FAILED);
      assertThat(l.reason()).isEqualTo("template_error");
      assertThat(l.message()).isEqualTo("template 'permit_ready' needs variable 'permit_number' but it has no value");
      assertThat(l.attempts()).isZero();
    });
  }

  @Test
  void unknownTemplate_isRefusedWhenTheRuleIsRegistered() {
    start(builder(clock, provider).trigger(approvedTrigger()));

    assertThatThrownBy(() -> engine.rules().save(approvedRule().template("nope").build()))
        .isInstanceOf(UnknownTemplateException.class)
        .hasMessage("rule 'notify_permit_approved' names template 'nope' which the template registry does not know");
    assertThat(engine.rules().list()).isEmpty();
    assertThat(engine.store().rules()).isEmpty();
  }

  @Test
  void hostileExpression_isRefusedAtRegistration_namingRuleAndExpression() {
    start(builder(clock, provider).trigger(approvedTrigger()));

    assertThatThrownBy(() -> engine.rules().save(approvedRule().condition("Runtime.getRuntime().exec('id') != null").build()))
        .isInstanceOf(InvalidExpressionException.class)
        .hasMessageContaining("rule 'notify_permit_approved' condition")
        .hasMessageContaining("Runtime.getRuntime()");
    assertThat(engine.store().rules()).isEmpty();
  }

  @Test
  void rulesSavedAtRuntime_arePersistedAndReloadedByANewEngineOnTheSameStore() {
    InMemoryStore store = InMemoryStore.create();
    NotificationEngine first = builder(clock, provider).store(store).trigger(approvedTrigger()).build().start();
    first.rules().save(approvedRule().build());

    NotificationEngine second = builder(clock, provider).store(store).trigger(approvedTrigger()).build().start();
    engine = second;

    assertThat(second.rules().find("notify_permit_approved")).contains(approvedRule().build());
    assertThat(second.fire(TriggerEvent.builder("permit_state_change").record(permit("approved")).old(permit("draft")).build()).queuedCount()).isEqualTo(1);
  }

  @Test
  void preview_rendersWithoutQueuing() {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().build()));

    Preview p = engine.preview("notify_permit_approved", permit("approved"));

    assertThat(p.messages()).singleElement().satisfies(m -> {
      assertThat(m.phone()).isEqualTo("+6281234567890");
      assertThat(m.text()).isEqualTo("Yth. Budi Santoso, izin 503/IMB/2026 telah terbit.");
    });
    assertThat(engine.store().entries(null, 10)).isEmpty();
  }

  /** The user guide's rule: before, preview passed old = null, so its condition was false for every sample. */
  @Test
  void preview_ofARuleReadingOld_rendersForTheGivenOldRecord() {
    start(builder(clock, provider).trigger(approvedTrigger())
        .rule(approvedRule().condition("old != null && old.state == 'draft'").build()));

    Preview p = engine.preview("notify_permit_approved", permitMap("approved", "0812-3456-7891"), Map.of("state", "draft"));

    assertThat(p.messages()).singleElement().satisfies(m -> {
      assertThat(m.phone()).isEqualTo("+6281234567891");
      assertThat(m.text()).isEqualTo("Yth. Siti, izin 503/IMB/2027 telah terbit.");
    });
    assertThat(p.skipped()).isEmpty();
    assertThat(engine.preview("notify_permit_approved", permitMap("approved", "0812-3456-7891"), Map.of("state", "submitted"))
        .skipped()).extracting(FireResult.Skip::reason).containsExactly("condition_false");
    assertThat(engine.store().entries(null, 10)).isEmpty();
  }

  @Test
  void testSend_sendsNowAndLogsIt() {
    start(builder(clock, provider));

    var result = engine.testSend("permit_ready", "0812 3456 7890", Map.of("partner_name", "Uji", "permit_number", "1"));

    assertThat(result).isInstanceOf(dev.notify.core.spi.SendResult.Accepted.class);
    assertThat(provider.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Yth. Uji, izin 1 telah terbit."));
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> assertThat(l.state()).isEqualTo(EntryState.SENT));
  }

  /** Before, a test message went to an opted-out number. */
  @Test
  void testSend_toABlacklistedNumber_isRefusedAndSendsNothing() {
    start(builder(clock, provider));
    engine.blacklist().add("081234567890", "asked to stop");

    assertThatThrownBy(() -> engine.testSend("permit_ready", "0812 3456 7890", Map.of("partner_name", "Uji", "permit_number", "1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is on the blacklist");
    assertThat(provider.sentCount()).isZero();
  }

  @Test
  void testSend_withMissingValue_throwsNamingVariable() {
    start(builder(clock, provider));

    assertThatThrownBy(() -> engine.testSend("permit_ready", "081234567890", Map.of("partner_name", "Uji")))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("'permit_number'");
    assertThat(provider.sentCount()).isZero();
  }

  @Test
  void delayedSchedule_isNotSentBeforeItsTime() {
    start(builder(clock, provider).trigger(approvedTrigger())
        .rule(approvedRule().schedule(Schedule.delayed(Duration.ofHours(1))).build()));
    engine.fire(TriggerEvent.builder("permit_state_change").record(permit("approved")).old(permit("draft")).build());

    assertThat(engine.dispatchNow()).isZero();
    clock.advance(Duration.ofMinutes(59));
    assertThat(engine.dispatchNow()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(engine.dispatchNow()).isEqualTo(1);
    assertThat(provider.sentCount()).isEqualTo(1);
  }

  @Test
  void atSchedule_usesTheExpressionsInstant() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t")
            .schedule(Schedule.at("record.remindAt")).build())
        .template(MessageTemplate.of("t", "hi")));

    FireResult r = engine.fire("m", Map.of("remindAt", T0.plus(Duration.ofDays(2))), Map.of());

    assertThat(r.queued().get(0).scheduledAt()).isEqualTo(T0.plus(Duration.ofDays(2)));
  }

  /** Before, JDBC and legacy dates reached expressions as their toString(): every AT schedule of them was refused. */
  @Test
  void atSchedule_acceptsTheDateTypesOfJdbcHosts() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t")
            .schedule(Schedule.at("record.remindAt")).build())
        .template(MessageTemplate.of("t", "hi")));
    java.time.LocalDateTime nineOnFriday = java.time.LocalDateTime.of(2026, 3, 6, 9, 0); // Jakarta wall clock

    FireResult timestamp = engine.fire("m", Map.of("remindAt", java.sql.Timestamp.valueOf(nineOnFriday)), Map.of());
    FireResult date = engine.fire("m", Map.of("remindAt", java.sql.Date.valueOf(nineOnFriday.toLocalDate())), Map.of());
    FireResult legacy = engine.fire("m", Map.of("remindAt", java.util.Date.from(T0.plus(Duration.ofDays(2)))), Map.of());

    assertThat(timestamp.queued()).singleElement().satisfies(e -> assertThat(e.scheduledAt()).isEqualTo(nineOnFriday.atZone(JAKARTA).toInstant()));
    assertThat(date.queued()).singleElement().satisfies(e -> assertThat(e.scheduledAt())
        .isEqualTo(nineOnFriday.toLocalDate().atStartOfDay(JAKARTA).toInstant()));
    assertThat(legacy.queued()).singleElement().satisfies(e -> assertThat(e.scheduledAt()).isEqualTo(T0.plus(Duration.ofDays(2))));
  }

  @Test
  void batchSchedule_releasesEntriesInGroupsPerInterval() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t")
            .schedule(Schedule.batch(2, Duration.ofMinutes(10))).build())
        .template(MessageTemplate.of("t", "hi")));

    for (int i = 0; i < 5; i++) engine.fire("m", Map.of("phone", "08123456780" + i), Map.of());

    assertThat(engine.store().entries(null, 10)).extracting(QueueEntry::scheduledAt).containsExactlyInAnyOrder(
        T0, T0, T0.plusSeconds(600), T0.plusSeconds(600), T0.plusSeconds(1200));
    assertThat(engine.dispatchNow()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(10));
    assertThat(engine.dispatchNow()).isEqualTo(2);
  }

  /** Before, each duplicate took a place in the batch: 20 fires of one record put the next record 50 minutes out. */
  @Test
  void batchSchedule_duplicatesDoNotTakePlacesInTheBatch() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t")
            .dedupe("record.id", Duration.ofDays(1)).schedule(Schedule.batch(2, Duration.ofMinutes(5))).build())
        .template(MessageTemplate.of("t", "hi")));
    for (int i = 0; i < 20; i++) engine.fire("m", Map.of("id", "A-1", "phone", "081234567801"), Map.of());

    FireResult next = engine.fire("m", Map.of("id", "B-2", "phone", "081234567802"), Map.of());

    assertThat(next.queued()).singleElement().satisfies(e -> assertThat(e.scheduledAt()).isEqualTo(T0));
  }

  /** Before, each preview took a place in the batch: two previews put the next real send an interval out. */
  @Test
  void batchSchedule_previewsDoNotTakePlacesInTheBatch() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t")
            .schedule(Schedule.batch(2, Duration.ofHours(1))).build())
        .template(MessageTemplate.of("t", "hi")));
    for (int i = 0; i < 2; i++) engine.preview("r", Map.of("phone", "081234567801"));

    FireResult real = engine.fire("m", Map.of("phone", "081234567802"), Map.of());

    assertThat(real.queued()).singleElement().satisfies(e -> assertThat(e.scheduledAt()).isEqualTo(T0));
  }

  /** Before, the rules' keys were joined with "|": these two rules' events were one key, and one was dropped. */
  @Test
  void dedupeKeysOfTwoRules_neverMeet_whateverTheNamesAndKeysHold() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("a|b").trigger("m").recipients(Recipients.of("081234567890")).template("t")
            .dedupe("'c'", Duration.ofDays(1)).build())
        .rule(Rule.builder("a").trigger("m").recipients(Recipients.of("081234567890")).template("t")
            .dedupe("'b|c'", Duration.ofDays(1)).build())
        .template(MessageTemplate.of("t", "hi")));

    FireResult r = engine.fire("m", Map.of(), Map.of());

    assertThat(r.queued()).extracting(QueueEntry::ruleName).containsExactlyInAnyOrder("a|b", "a");
  }

  /** Before, a missing key was the text "null": two different tickets to one number queued once, the other dropped. */
  @Test
  void dedupeKeyWithoutAValue_skipsTheEventSayingSo_insteadOfMergingDistinctEvents() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t")
            .dedupe("record.ticketId", Duration.ofDays(1)).build())
        .template(MessageTemplate.of("t", "hi")));

    FireResult r = engine.fire("m", Map.of("phone", "081234567801"), Map.of());

    assertThat(r.queued()).isEmpty();
    assertThat(r.skippedFor("dedupe_key_missing")).isTrue();
    assertThat(engine.fire("m", Map.of("phone", "081234567801", "ticketId", "B-2"), Map.of()).queued()).hasSize(1);
  }

  @Test
  void higherPriority_isSentFirst() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("t", "{{which}}"))
        .rule(Rule.builder("low").trigger("m").priority(1).recipients(Recipients.of("081234567891")).context("which", "'low'").template("t").build())
        .rule(Rule.builder("high").trigger("m").priority(9).recipients(Recipients.of("081234567892")).context("which", "'high'").template("t").build()));

    engine.fire("m", Map.of(), Map.of());
    engine.dispatchNow();

    assertThat(provider.sent()).extracting(m -> m.text()).containsExactly("high", "low");
  }

  @Test
  void dedupeKey_queuesOncePerWindow() {
    start(builder(clock, provider).trigger(approvedTrigger())
        .rule(approvedRule().dedupe("record.id", Duration.ofHours(1)).build()));
    TriggerEvent ev = TriggerEvent.builder("permit_state_change").record(permit("approved")).old(permit("draft")).build();

    assertThat(engine.fire(ev).queuedCount()).isEqualTo(1);
    FireResult again = engine.fire(ev);
    assertThat(again.queuedCount()).isZero();
    assertThat(again.skippedFor("duplicate")).isTrue();
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(engine.fire(ev).queuedCount()).isEqualTo(1);
  }

  @Test
  void samePhoneTwiceInOneRule_isQueuedOnce() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890", "+6281234567890")).template("t").build())
        .template(MessageTemplate.of("t", "x")));

    assertThat(engine.fire("m", Map.of(), Map.of()).queuedCount()).isEqualTo(1);
  }

  @Test
  void ruleRateLimit_postponesToTheNextWindow_neverFails() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t")
            .rateLimit(RateLimit.perMinute(2)).build())
        .template(MessageTemplate.of("t", "x")));
    for (int i = 0; i < 3; i++) engine.fire("m", Map.of("phone", "08123456780" + i), Map.of());

    engine.dispatchNow();

    assertThat(provider.sentCount()).isEqualTo(2);
    List<QueueEntry> pending = engine.store().entries(EntryState.PENDING, 10);
    assertThat(pending).singleElement().satisfies(e -> {
      assertThat(e.attempts()).isZero();
      assertThat(e.scheduledAt()).isEqualTo(T0.plusSeconds(60));
    });
    clock.advance(Duration.ofMinutes(1));
    engine.dispatchNow();
    assertThat(provider.sentCount()).isEqualTo(3);
  }

  @Test
  void quietHours_postponeToTheirEnd() {
    // T0 is 09:00 Jakarta; quiet 08:00-10:00
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t")
            .quietHours(QuietHours.of(java.time.LocalTime.of(8, 0), java.time.LocalTime.of(10, 0), JAKARTA)).build())
        .template(MessageTemplate.of("t", "x")));
    engine.fire("m", Map.of(), Map.of());

    engine.dispatchNow();

    assertThat(provider.sentCount()).isZero();
    assertThat(engine.store().entries(EntryState.PENDING, 10)).singleElement()
        .satisfies(e -> assertThat(e.scheduledAt()).isEqualTo(T0.plusSeconds(3600)));
  }

  /** Before, Map.copyOf threw a bare NullPointerException: host maps with a null value lost their event. */
  @Test
  void paramWithANullValue_isANullInExpressions() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t")
            .condition("params.by == null").build())
        .template(MessageTemplate.of("t", "x")));
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("by", null);

    FireResult r = engine.fire("m", Map.of(), params);

    assertThat(r.queued()).hasSize(1);
  }

  private static Rule quietRule() {
    return Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t")
        .quietHours(QuietHours.of(java.time.LocalTime.of(8, 0), java.time.LocalTime.of(10, 0), JAKARTA)).build();
  }

  /** Before, an entry whose rule was deleted was sent at once, its quiet hours and rate limit ignored. */
  @Test
  void entryOfADeletedRule_isCancelledUnsent() {
    start(builder(clock, provider).trigger(Trigger.manual("m").build()).rule(quietRule())
        .template(MessageTemplate.of("t", "x")));
    engine.fire("m", Map.of(), Map.of());

    engine.rules().delete("r");
    engine.dispatchNow();

    assertThat(provider.sentCount()).isZero();
    assertThat(engine.store().logs(LogQuery.all())).singleElement().satisfies(l -> {
      assertThat(l.state()).isEqualTo(EntryState.CANCELLED);
      assertThat(l.reason()).isEqualTo("rule_deleted");
    });
  }

  /** Before, a node that had loaded the rule went on sending its entries after another node deleted it. */
  @Test
  void entryOfARuleDeletedOnAnotherNode_isCancelledByANodeThatStillKnowsIt() {
    InMemoryStore shared = InMemoryStore.create();
    RecordingProvider other = new RecordingProvider();
    NotificationEngine nodeB = builder(clock, other).store(shared).nodeId("node-b").trigger(Trigger.manual("m").build())
        .rule(quietRule()).template(MessageTemplate.of("t", "x")).build().start();
    try {
      start(builder(clock, provider).store(shared).nodeId("node-a").trigger(Trigger.manual("m").build())
          .template(MessageTemplate.of("t", "x")));
      clock.advance(Duration.ofHours(2)); // 11:00 Jakarta, after the quiet hours
      engine.rules().delete("r");

      nodeB.fire("m", Map.of(), Map.of()); // node B still has the rule it loaded
      nodeB.dispatchNow();

      assertThat(other.sentCount()).isZero();
      assertThat(shared.logs(LogQuery.all())).singleElement().satisfies(l -> assertThat(l.reason()).isEqualTo("rule_deleted"));
    } finally {
      nodeB.close();
    }
  }

  /** A node started before another saved a rule reads the rule from the store, and keeps its quiet hours. */
  @Test
  void entryOfARuleSavedOnAnotherNode_keepsThatRulesQuietHours() {
    InMemoryStore shared = InMemoryStore.create();
    RecordingProvider other = new RecordingProvider();
    NotificationEngine nodeB = builder(clock, other).store(shared).nodeId("node-b")
        .trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "x")).build().start();
    try {
      start(builder(clock, provider).store(shared).nodeId("node-a").trigger(Trigger.manual("m").build())
          .template(MessageTemplate.of("t", "x")));
      engine.rules().save(quietRule()); // T0 is 09:00 Jakarta, inside 08:00-10:00
      engine.fire("m", Map.of(), Map.of());

      nodeB.dispatchNow();

      assertThat(other.sentCount()).isZero();
      assertThat(shared.entries(EntryState.PENDING, 10)).singleElement()
          .satisfies(e -> assertThat(e.scheduledAt()).isEqualTo(T0.plusSeconds(3600)));
    } finally {
      nodeB.close();
    }
  }

  @Test
  void blacklistedRecipient_isSkippedAndCounted() {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().build()));
    engine.blacklist().add("+62 812-3456-7890", "asked to stop");
    TriggerEvent ev = TriggerEvent.builder("permit_state_change").record(permit("approved")).old(permit("draft")).build();

    engine.fire(ev);
    engine.dispatchNow();
    clock.advance(Duration.ofMinutes(5));
    engine.fire(ev);
    engine.dispatchNow();

    assertThat(provider.sentCount()).isZero();
    assertThat(engine.store().logs(LogQuery.all())).hasSize(2).allSatisfy(l -> {
      assertThat(l.state()).isEqualTo(EntryState.SKIPPED);
      assertThat(l.reason()).isEqualTo("blacklisted");
    });
    BlacklistEntry b = engine.blacklist().find("081234567890").orElseThrow();
    assertThat(b.blockedCount()).isEqualTo(2);
    assertThat(b.lastBlockedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
  }

  @Test
  void ruleThatIgnoresTheBlacklist_stillSends() {
    start(builder(clock, provider).trigger(approvedTrigger()).rule(approvedRule().respectBlacklist(false).build()));
    engine.blacklist().add("081234567890", "x");

    engine.fire(TriggerEvent.builder("permit_state_change").record(permit("approved")).old(permit("draft")).build());
    engine.dispatchNow();

    assertThat(provider.sentCount()).isEqualTo(1);
  }
}
