package dev.notify.core;

import static dev.notify.core.EngineFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.spi.SendResult;
import dev.notify.core.testing.CapturedLogs;
import dev.notify.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogHygieneTest {
  private final MutableClock clock = clock();

  @Test
  void engineLogLines_maskPhoneNumbers() {
    String out;
    try (CapturedLogs logs = new CapturedLogs()) {
      RecordingProvider p = new RecordingProvider().failWith(m -> m.phone().endsWith("1") ? SendResult.retryable("503", "down")
          : m.phone().endsWith("2") ? SendResult.permanent("131026", "undeliverable") : null);
      NotificationEngine engine = builder(clock, p).trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "hi"))
          .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).template("t").maxRetries(0).build())
          .build().start();
      engine.blacklist().add("081234567893", "stop");
      for (String phone : List.of("081234567891", "081234567892", "081234567893")) engine.fire("m", Map.of("phone", phone), Map.of());
      engine.dispatchNow();
      engine.close();
      out = logs.text();
    }
    assertThat(out).contains("+62812*****891", "+62812*****892", "+62812*****893");
    assertThat(out).doesNotContain("81234567891", "81234567892", "81234567893");
  }

  @Test
  void dispatchLogContext_carriesEntryRuleAndCampaign_duringTheSend() {
    List<String> seen = new ArrayList<>();
    RecordingProvider p = new RecordingProvider().failWith(m -> {
      seen.add(MDC.get("notify.entry") + "|" + MDC.get("notify.rule"));
      return null;
    });
    NotificationEngine engine = builder(clock, p).trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "hi"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t").build()).build().start();
    String id = engine.fire("m", Map.of(), Map.of()).queued().get(0).id();

    engine.dispatchNow();
    engine.close();

    assertThat(seen).containsExactly(id + "|r");
    assertThat(MDC.get("notify.entry")).isNull();
  }

  @Test
  void retryLogLine_saysWhenTheNextAttemptIs_andCarriesTheEntryInItsContext() {
    try (CapturedLogs logs = new CapturedLogs()) {
      RecordingProvider p = new RecordingProvider().failWith(m -> SendResult.retryable("503", "down"));
      NotificationEngine engine = builder(clock, p).retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 0)
          .trigger(Trigger.manual("m").build()).template(MessageTemplate.of("t", "hi"))
          .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081234567890")).template("t").build()).build().start();
      String id = engine.fire("m", Map.of(), Map.of()).queued().get(0).id();
      engine.dispatchNow();
      engine.close();
      assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().contains("attempt 1 failed")).singleElement().satisfies(e -> {
        assertThat(e.getFormattedMessage()).endsWith("attempt 1 failed (503: down); retry at " + T0.plusSeconds(10));
        assertThat(e.getMDCPropertyMap()).containsEntry("notify.entry", id).containsEntry("notify.rule", "r");
      });
    }
  }

  /** A condition that is not a boolean is reported by its type: its value may be a phone number. */
  @Test
  void ruleConditionThatIsNotABoolean_isLoggedAndReportedByType_neverByValue() {
    FireResult r;
    String out;
    try (CapturedLogs logs = new CapturedLogs()) {
      NotificationEngine engine = builder(clock, new RecordingProvider()).trigger(Trigger.manual("m").build())
          .template(MessageTemplate.of("t", "hi"))
          .rule(Rule.builder("r").trigger("m").condition("record.phone").recipients(Recipients.of("081100000001"))
              .template("t").build())
          .build().start();
      r = engine.fire("m", Map.of("phone", "081234567891"), Map.of());
      engine.close();
      out = logs.text();
    }
    assertThat(r.skipped()).singleElement().satisfies(s -> {
      assertThat(s.reason()).isEqualTo("error");
      assertThat(s.detail()).isEqualTo("rule 'r' condition: expression 'record.phone' failed: a condition must be"
          + " true or false but was a String");
    });
    assertThat(out).contains("rule 'r'", "but was a String").doesNotContain("81234567891");
  }

  @Test
  void triggerConditionThatIsNotABoolean_isLoggedAndReportedByType_neverByValue() {
    FireResult r;
    String out;
    try (CapturedLogs logs = new CapturedLogs()) {
      NotificationEngine engine = builder(clock, new RecordingProvider())
          .trigger(Trigger.manual("m").condition("record.phone").build()).template(MessageTemplate.of("t", "hi"))
          .rule(Rule.builder("r").trigger("m").recipients(Recipients.of("081100000001")).template("t").build())
          .build().start();
      r = engine.fire("m", Map.of("phone", "081234567891"), Map.of());
      engine.close();
      out = logs.text();
    }
    assertThat(r.skipped()).singleElement().satisfies(s -> assertThat(s.detail())
        .isEqualTo("trigger 'm' condition: expression 'record.phone' failed: a condition must be true or false but"
            + " was a String"));
    assertThat(out).contains("trigger 'm'", "but was a String").doesNotContain("81234567891");
  }
}
