package dev.notify.core;

import static dev.notify.core.EngineFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.spi.RecipientDirectory;
import dev.notify.core.testing.MutableClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecipientsAndChangesTest {
  private final MutableClock clock = clock();
  private final RecordingProvider provider = new RecordingProvider();
  private NotificationEngine engine;

  private final RecipientDirectory directory = new RecipientDirectory() {
    @Override public List<Recipient> group(String name) {
      if (name.equals("staff")) return List.of(Recipient.of("s1", "Staf A", "081200000001"), Recipient.of("s2", "Staf B", "081200000002"));
      return List.of();
    }

    @Override public List<Recipient> query(String name, Map<String, Object> params) {
      if (name.equals("officials_of") && "dinas-pu".equals(params.get("unit"))) return List.of(Recipient.of("o1", "Kepala", "081200000009"));
      return List.of();
    }
  };

  @AfterEach
  void close() {
    if (engine != null) engine.close();
  }

  private NotificationEngine.Builder base() {
    return builder(clock, provider).recipients(directory).template(MessageTemplate.of("t", "Dokumen {{doc}} menunggu tanda tangan"));
  }

  @Test
  void groupRecipients_comeFromTheDirectory() {
    engine = base().trigger(Trigger.manual("doc_needs_signature").build())
        .rule(Rule.builder("tell_staff").trigger("doc_needs_signature").recipients(Recipients.group("staff")).context("doc", "record.no").template("t").build())
        .build().start();

    FireResult r = engine.fire("doc_needs_signature", Map.of("no", "D-7"), Map.of());

    assertThat(r.queued()).extracting(e -> e.recipient().phone()).containsExactly("+6281200000001", "+6281200000002");
    assertThat(r.queued()).extracting(e -> e.context().get("recipient_name")).containsExactly("Staf A", "Staf B");
  }

  @Test
  void customRecipients_runTheDirectoryQueryWithEvaluatedParams() {
    engine = base().trigger(Trigger.manual("doc_needs_signature").build())
        .rule(Rule.builder("tell_officials").trigger("doc_needs_signature")
            .recipients(Recipients.query("officials_of", Map.of("unit", "record.unit"))).context("doc", "record.no").template("t").build())
        .build().start();

    FireResult r = engine.fire("doc_needs_signature", Map.of("no", "D-8", "unit", "dinas-pu"), Map.of());

    assertThat(r.queued()).extracting(e -> e.recipient().phone()).containsExactly("+6281200000009");
  }

  @Test
  void recordRecipient_mayYieldAListOfPhones() {
    engine = base().trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phones")).context("doc", "'x'").template("t").build())
        .build().start();

    FireResult r = engine.fire("m", Map.of("phones", List.of("0812 0000 0003", "62812-0000-0004")), Map.of());

    assertThat(r.queued()).extracting(e -> e.recipient().phone()).containsExactly("+6281200000003", "+6281200000004");
  }

  /** Before, a phone read from a spreadsheet as a Double became "6.28123456789E12" and was logged invalid_phone. */
  @Test
  void recordRecipient_givenAsADouble_isWrittenOutInFull() {
    engine = base().trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone"), Recipients.field("record.phones"))
            .context("doc", "'x'").template("t").build())
        .build().start();

    FireResult r = engine.fire("m", Map.of("phone", 6.28123456789E12, "phones", List.of(6.281311112222E12)), Map.of());

    assertThat(r.skipped()).isEmpty();
    assertThat(r.queued()).extracting(e -> e.recipient().phone()).containsExactly("+6281234567890", "+6281311112222");
  }

  /** Before, such a condition was saved, and was false at every fire (recipient is null outside the dedupe key). */
  @Test
  void ruleReadingRecipientOutsideTheDedupeKey_isRefusedOnSave_whileTheDedupeKeyMayReadIt() {
    engine = base().trigger(Trigger.manual("m").build()).build().start();

    assertThatThrownBy(() -> engine.rules().save(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone"))
        .condition("recipient.phone.startsWith('+62')").template("t").build()))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("rule 'r' condition reads 'recipient', which only the dedupe key has");
    assertThatThrownBy(() -> engine.rules().save(Rule.builder("r").trigger("m")
        .recipients(Recipients.field("recipient.phone"), Recipients.field("record.phone")).template("t").build()))
        .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("rule 'r' recipient phone reads 'recipient'");
    engine.rules().save(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t")
        .condition("record.recipient != null").dedupe("recipient.phone + record.id", java.time.Duration.ofHours(1)).build());
    assertThat(engine.rules().find("r")).isPresent();
  }

  /** Before, one blank cell failed the rule: nobody on the list was notified. */
  @Test
  void blankPhoneInAList_isSkipped_andTheOthersAreQueued() {
    engine = base().trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phones")).context("doc", "'x'").template("t").build())
        .build().start();

    FireResult r = engine.fire("m", Map.of("phones", List.of("0812 0000 0003", " ", "62812-0000-0004")), Map.of());

    assertThat(r.queued()).extracting(e -> e.recipient().phone()).containsExactly("+6281200000003", "+6281200000004");
  }

  @Test
  void recordChanged_stateChangeMatchingFromAndTo_fires() {
    engine = base()
        .trigger(Trigger.onStateChange("approved", "permit").stateFrom("draft").stateTo("approved").build())
        .rule(approvedRule().trigger("approved").build())
        .build().start();

    assertThat(engine.recordChanged("permit", permit("draft"), permit("approved")).queuedCount()).isEqualTo(1);
    assertThat(engine.recordChanged("permit", permit("review"), permit("approved")).queuedCount()).isZero();
    assertThat(engine.recordChanged("permit", permit("approved"), permit("approved")).queuedCount()).isZero();
    assertThat(engine.recordChanged("other_entity", permit("draft"), permit("approved")).queuedCount()).isZero();
  }

  @Test
  void recordChanged_computesCreateUpdateAndFieldChange() {
    engine = base()
        .trigger(Trigger.onCreate("created", "doc").build())
        .trigger(Trigger.onUpdate("updated", "doc").build())
        .trigger(Trigger.onFieldChange("signed", "doc", "signedBy").build())
        .rule(Rule.builder("c").trigger("created").recipients(Recipients.of("081200000001")).context("doc", "'c'").template("t").build())
        .rule(Rule.builder("u").trigger("updated").recipients(Recipients.of("081200000001")).context("doc", "'u'").template("t").build())
        .rule(Rule.builder("s").trigger("signed").recipients(Recipients.of("081200000001")).context("doc", "'s'").template("t").build())
        .build().start();

    assertThat(engine.recordChanged("doc", null, Map.of("no", 1)).queued()).extracting(QueueEntry::ruleName).containsExactly("c");
    assertThat(engine.recordChanged("doc", Map.of("no", 1, "signedBy", ""), Map.of("no", 1, "signedBy", "Kepala")).queued())
        .extracting(QueueEntry::ruleName).containsExactlyInAnyOrder("u", "s");
    assertThat(engine.recordChanged("doc", Map.of("no", 1, "note", "a"), Map.of("no", 1, "note", "b")).queued())
        .extracting(QueueEntry::ruleName).containsExactly("u");
    assertThat(engine.recordChanged("doc", Map.of("no", 1), Map.of("no", 1)).queued()).isEmpty();
  }

  private NotificationEngine updateAndFieldTriggers() {
    return base()
        .trigger(Trigger.onUpdate("updated", "doc").build())
        .trigger(Trigger.onFieldChange("moved", "doc", "address").build())
        .rule(Rule.builder("u").trigger("updated").recipients(Recipients.of("081200000001")).context("doc", "'u'").template("t").build())
        .rule(Rule.builder("m").trigger("moved").recipients(Recipients.of("081200000001")).context("doc", "'m'").template("t").build())
        .build().start();
  }

  /** Before, the same values written differently (a long and an int, 10.0 and 10.00, another map order) fired. */
  @Test
  void recordChanged_sameValuesWrittenDifferently_areNoChange() {
    engine = updateAndFieldTriggers();
    Map<String, Object> address = new java.util.LinkedHashMap<>();
    address.put("street", "Jl. Merdeka 1");
    address.put("city", "Bandung");
    Map<String, Object> reordered = new java.util.LinkedHashMap<>();
    reordered.put("city", "Bandung");
    reordered.put("street", "Jl. Merdeka 1");

    FireResult r = engine.recordChanged("doc",
        Map.of("id", 7L, "fee", new java.math.BigDecimal("10.0"), "area", 5.0, "address", address),
        Map.of("id", 7, "fee", new java.math.BigDecimal("10.00"), "area", 5, "address", reordered));

    assertThat(r.queued()).isEmpty();
    assertThat(engine.recordChanged("doc", Map.of("id", 7L, "fee", 10), Map.of("id", 7L, "fee", 11)).queued())
        .extracting(QueueEntry::ruleName).containsExactly("u");
  }

  /** A JavaBean whose owner lists it again (a typical JPA shape). Before: StackOverflowError out of recordChanged. */
  public static final class Doc {
    private final String state;
    private final Owner owner;

    Doc(String state, Owner owner) {
      this.state = state;
      this.owner = owner;
      owner.docs.add(this);
    }

    public String getState() { return state; }
    public Owner getOwner() { return owner; }
  }

  public static final class Owner {
    final java.util.List<Doc> docs = new java.util.ArrayList<>();
    public java.util.List<Doc> getDocs() { return docs; }
  }

  @Test
  void recordChanged_onARecordGraphWithBackReferences_comparesWithoutOverflowing() {
    engine = updateAndFieldTriggers();

    assertThat(engine.recordChanged("doc", new Doc("draft", new Owner()), new Doc("draft", new Owner())).queued()).isEmpty();
    assertThat(engine.recordChanged("doc", new Doc("draft", new Owner()), new Doc("signed", new Owner())).queued())
        .extracting(QueueEntry::ruleName).containsExactly("u");
  }

  @Test
  void triggerCondition_false_queuesNothing() {
    engine = base().trigger(Trigger.manual("m").condition("record.important == true").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081200000001")).context("doc", "'x'").template("t").build())
        .build().start();

    FireResult r = engine.fire("m", Map.of("important", false), Map.of());

    assertThat(r.queued()).isEmpty();
    assertThat(r.skippedFor("trigger_condition_false")).isTrue();
  }

  @Test
  void contextPreparer_suppliesTemplateValuesFromJava() {
    engine = base().contextPreparer("doc_info", (record, params) -> Map.of("doc", "D-" + ((Map<?, ?>) record).get("n")))
        .trigger(Trigger.manual("m").build())
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081200000001")).contextPreparer("doc_info").template("t").build())
        .build().start();

    engine.fire("m", Map.of("n", 5), Map.of());
    engine.dispatchNow();

    assertThat(provider.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Dokumen D-5 menunggu tanda tangan"));
  }
}
