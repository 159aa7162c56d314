package dev.notify.core.internal.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.internal.expr.Fixtures.Address;
import dev.notify.core.internal.expr.Fixtures.Applicant;
import dev.notify.core.internal.expr.Fixtures.Permit;
import dev.notify.core.internal.expr.Fixtures.PermitStatus;
import java.io.File;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordViewsTest {

  @Test
  void plainValues_passThroughUnchanged() {
    Instant instant = Instant.parse("2024-05-01T08:00:00Z");
    BigDecimal amount = new BigDecimal("12.50");

    assertThat(RecordViews.toValue(null)).isNull();
    assertThat(RecordViews.toValue("x")).isEqualTo("x");
    assertThat(RecordViews.toValue(42)).isEqualTo(42);
    assertThat(RecordViews.toValue(amount)).isSameAs(amount);
    assertThat(RecordViews.toValue(true)).isEqualTo(true);
    assertThat(RecordViews.toValue(instant)).isSameAs(instant);
    assertThat(RecordViews.toValue(LocalDate.of(2024, 5, 1))).isEqualTo(LocalDate.of(2024, 5, 1));
    assertThat(RecordViews.toValue(Duration.ofDays(3))).isEqualTo(Duration.ofDays(3));
  }

  @Test
  void enumCharacterAndOptional_becomeNameStringAndValue() {
    assertThat(RecordViews.toValue(PermitStatus.ACTIVE)).isEqualTo("ACTIVE");
    assertThat(RecordViews.toValue('y')).isEqualTo("y");
    assertThat(RecordViews.toValue(new StringBuilder("sb"))).isEqualTo("sb");
    assertThat(RecordViews.toValue(Optional.of(PermitStatus.DRAFT))).isEqualTo("DRAFT");
    assertThat(RecordViews.toValue(Optional.empty())).isNull();
  }

  @Test
  void javaRecord_becomesMapOfItsComponents_inDeclarationOrder() {
    Object view = RecordViews.toValue(new Applicant("Sari", "+62", new Address("Bandung", "Jl. Merdeka 1")));

    assertThat(view).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) view;
    assertThat(List.<Object>copyOf(map.keySet())).containsExactly("name", "phone", "address");
    assertThat(map.get("name")).isEqualTo("Sari");
    assertThat(((Map<?, ?>) map.get("address")).get("city")).isEqualTo("Bandung");
  }

  @Test
  void javaBean_becomesMapOfItsGetters_withoutGetClassStaticsOrOtherMethods() {
    Map<?, ?> map = (Map<?, ?>) RecordViews.toValue(new Permit("approved", 3, null, true));

    assertThat(List.<Object>copyOf(map.keySet())).containsExactlyInAnyOrder("state", "count", "applicant", "urgent");
    assertThat(map.get("state")).isEqualTo("approved");
    assertThat(map.get("urgent")).isEqualTo(true);
    assertThat(map.containsKey("class")).isFalse();
    assertThat(map.get("class")).isNull();
    assertThat(map.get("version")).isNull();
  }

  @Test
  void nestedMapOfRecords_isConvertedAllTheWayDown() {
    Map<String, Object> host = Map.of("applicants", Map.of("main", new Applicant("Sari", "+62", null)));

    Map<?, ?> view = (Map<?, ?>) RecordViews.toValue(host);
    Map<?, ?> main = (Map<?, ?>) ((Map<?, ?>) view.get("applicants")).get("main");

    assertThat(main.get("name")).isEqualTo("Sari");
    assertThat(main.get("address")).isNull();
  }

  @Test
  void listOfPojos_becomesListOfMapViews() {
    List<?> view = (List<?>) RecordViews.toValue(List.of(new Permit("a", 1, null, false), new Permit("b", 2, null, true)));

    assertThat(view).hasSize(2);
    assertThat(((Map<?, ?>) view.get(1)).get("state")).isEqualTo("b");
  }

  @Test
  void arraysAndSets_becomeListViews() {
    assertThat(RecordViews.toValue(new int[] {1, 2, 3})).isEqualTo(List.of(1, 2, 3));
    assertThat(RecordViews.toValue(new PermitStatus[] {PermitStatus.DRAFT})).isEqualTo(List.of("DRAFT"));
    assertThat(RecordViews.toValue(new LinkedHashSet<>(List.of("x", "y")))).isEqualTo(List.of("x", "y"));
  }

  @Test
  void platformObjects_areNeverOpenedUp_onlyTheirText() {
    UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");

    assertThat(RecordViews.toValue(new File("/etc/passwd"))).isEqualTo("/etc/passwd");
    assertThat(RecordViews.toValue(id)).isEqualTo(id.toString());
    assertThat(RecordViews.toValue(String.class)).isEqualTo("class java.lang.String");
    assertThat(RecordViews.toValue(Thread.currentThread())).isInstanceOf(String.class);
    assertThat(RecordViews.toValue(new Object())).isInstanceOf(String.class);
  }

  @Test
  void mapWithNonStringKeys_isReadByTheKeysText() {
    Map<?, ?> view = (Map<?, ?>) RecordViews.toValue(new TreeMap<>(Map.of(1, "one", 2, "two")));

    assertThat(view.get("2")).isEqualTo("two");
    assertThat(view.containsKey("1")).isTrue();
    assertThat(view.get("3")).isNull();
    assertThat(List.<Object>copyOf(view.keySet())).containsExactly("1", "2");
  }

  @Test
  void views_copyNothing_theyReadTheHostValueWhenAsked() {
    Map<String, Object> host = new HashMap<>();
    Map<?, ?> view = (Map<?, ?>) RecordViews.toValue(host);

    host.put("state", PermitStatus.EXPIRED);

    assertThat(view.get("state")).isEqualTo("EXPIRED");
  }

  @Test
  void views_areReadOnly() {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) RecordViews.toValue(new HashMap<>(Map.of("a", 1)));
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) RecordViews.toValue(new java.util.ArrayList<>(List.of(1)));

    assertThatThrownBy(() -> map.put("a", 2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.set(0, 2)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void convertingAView_returnsTheSameView() {
    Object view = RecordViews.toValue(Map.of("a", 1));

    assertThat(RecordViews.toValue(view)).isSameAs(view);
  }

  @Test
  void expressions_readRecordsAndBeansThroughTheirViews() {
    ExpressionCompiler compiler = new ExpressionCompiler(10);
    Permit permit = new Permit("approved", 3,
        new Applicant("Sari", "+6281234567890", new Address("Bandung", "Jl. Merdeka 1")), true);
    Map<String, Object> variables = Map.of("record", RecordViews.toValue(permit));

    assertThat(compiler.compile("t", "record.applicant.name").evaluate(variables)).isEqualTo("Sari");
    assertThat(compiler.compile("t", "record.applicant.address.city + ' / ' + record.state").evaluate(variables))
        .isEqualTo("Bandung / approved");
    assertThat(compiler.compile("t", "record.urgent && record.count == 3").evaluate(variables)).isEqualTo(true);
    assertThat(compiler.compile("t", "record.version").evaluate(variables)).isNull();
    assertThat(compiler.compile("t", "record.describe").evaluate(variables)).isNull();
  }
}
