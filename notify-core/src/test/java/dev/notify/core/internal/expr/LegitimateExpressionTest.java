package dev.notify.core.internal.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sandbox still lets through what rules actually need, and it evaluates to the right value. */
class LegitimateExpressionTest {
  private final ExpressionCompiler compiler = new ExpressionCompiler(1_000);
  private final Map<String, Object> variables = Fixtures.permitVariables();

  static Stream<Arguments> legitimateExpressions() {
    return Stream.of(
        arguments("record.state == 'approved' && old.state == 'draft'", true),
        arguments("record.state == 'approved' and old.state != 'approved'", true),
        arguments("record.state == 'rejected' || old.count >= 4", true),
        // "or" is logical or, as in the user guide (MVEL alone reads it as "first non-null": false or true = false)
        arguments("record.state == 'rejected' or old.count >= 4", true),
        arguments("false or true", true),
        arguments("record.state == 'approved' or record.missing.city == 'x'", true),
        arguments("'this or that' == 'this or that'", true),
        arguments("record.applicant.name", "Sari"),
        arguments("record.applicant.address.city == 'Bandung'", true),
        arguments("record.count > 3 ? 'many' : 'few'", "many"),
        arguments("record.?missing.city", null),
        arguments("record.missing == null", true),
        arguments("record.name.toUpperCase()", "BUDI"),
        arguments("record.applicant.phone.startsWith('+62') && record.applicant.phone.length() > 10", true),
        arguments("now.isAfter(record.expiresAt)", true),
        arguments("record.dueDate.plusDays(3).getDayOfMonth()", 4),
        arguments("params['days'] > 3", true),
        arguments("params.containsKey('days')", true),
        arguments("record.tags contains 'urgent'", true),
        arguments("record.items.size() > 0", true),
        arguments("record.items[1]", 20),
        arguments("record['state']", "approved"),
        arguments("params.greeting + ' ' + record.name + '!'", "Halo budi!"),
        arguments("record.count * 2 + 1", 11),
        arguments("(record.count - 1) % 3", 1),
        arguments("-record.count", -5),
        arguments("!(record.count < 3)", true),
        arguments("record.status == 'ACTIVE'", true),
        arguments("record.name.trim().substring(0, 2).equalsIgnoreCase('BU')", true),
        arguments("\"it's\" + ' \\'quoted\\''", "it's 'quoted'"),
        arguments("record.state == empty", false),
        arguments("recipient == null", true),
        arguments("record.count.compareTo(old.count) > 0", true));
  }

  @ParameterizedTest(name = "[{index}] {0} => {1}")
  @MethodSource("legitimateExpressions")
  void legitimateExpression_compilesAndEvaluatesCorrectly(String expression, Object expected) {
    Object actual = compiler.compile("rule 'test' condition", expression).evaluate(variables);

    assertThat(actual).isEqualTo(expected);
  }
}
