package dev.notify.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.FireResult;
import dev.notify.core.InMemoryStore;
import dev.notify.core.InvalidExpressionException;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Recipients;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The expressions docs/user-guide.md shows as allowed are accepted and true for its sample record; the refused ones are refused. */
class DocumentedExpressionsTest {
  private NotificationEngine engine;

  @BeforeEach
  void start() {
    engine = NotificationEngine.builder().store(InMemoryStore.create()).provider(new RecordingProvider())
        .backgroundDispatch(false).backgroundJobs(false).environment(k -> null)
        .template(MessageTemplate.of("t", "x")).trigger(Trigger.manual("m").build()).build().start();
  }

  @AfterEach
  void stop() { engine.close(); }

  private Rule rule(String condition) {
    return Rule.builder("r").trigger("m").condition(condition).recipients(Recipients.of("+6281234567890")).template("t").build();
  }

  private static Map<String, Object> sample() {
    return Map.of("state", "approved", "amount", 2_000_000, "region", "Bali", "tags", List.of("urgent"),
        "pendingSince", LocalDateTime.of(2020, 1, 1, 8, 0), "expiresOn", LocalDate.of(2000, 1, 1),
        "applicant", Map.of("phone", "0812"), "officePhone", "0811", "until", LocalDate.of(2030, 1, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "record.amount > 1000000 && record.region == 'Bali'",
      "record.pendingSince.isBefore(now.toLocalDateTime().minusHours(24))",
      "record.expiresOn.isBefore(now.toLocalDate().plusDays(30))",
      "record.tags contains 'urgent'",
      "(record.applicant.?phone != null ? record.applicant.phone : record.officePhone) == '0812'",
      "params.channel == 'counter' || event.type == 'MANUAL'",
      "record['until'].getYear() == 2030"})
  void allowedExpression_isAcceptedAndEvaluates(String condition) {
    engine.rules().save(rule(condition));

    FireResult r = engine.fire("m", sample(), Map.of("channel", "counter"));

    assertThat(r.queuedCount()).as(r.skipped().toString()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Runtime.getRuntime() == null", "record.getClass() == null", "record.name.matches('.*')",
      "record.class == null", "record['class'] == null", "record.until == null", "size(record) == 1"})
  void refusedExpression_isRefusedWhenTheRuleIsSaved(String condition) {
    assertThatThrownBy(() -> engine.rules().save(rule(condition)))
        .isInstanceOf(InvalidExpressionException.class)
        .hasMessageContaining("rule 'r'");
    assertThat(engine.rules().find("r")).isEmpty();
  }
}
