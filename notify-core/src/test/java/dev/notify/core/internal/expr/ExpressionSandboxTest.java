package dev.notify.core.internal.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.notify.core.InvalidExpressionException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way out of the sandbox we could think of is refused at compile time, with a position. */
class ExpressionSandboxTest {
  private static final String OWNER = "rule 'notify_permit_approved' condition";

  private final ExpressionCompiler compiler = new ExpressionCompiler(1_000);

  static Stream<Arguments> hostileExpressions() {
    return Stream.of(
        // class names, class loading, static calls
        arguments("java.lang.Runtime.getRuntime()", 0),
        arguments("Runtime.getRuntime()", 0),
        arguments("Runtime.getRuntime().exec('id')", 0),
        arguments("T(java.lang.Runtime).getRuntime()", 0),
        arguments("Class.forName('java.lang.Runtime')", 0),
        arguments("java.lang.System.exit(0)", 0),
        arguments("System.getenv()", 0),
        arguments("Thread.sleep(1)", 0),
        arguments("java.nio.file.Files.readAllLines(record.path)", 0),
        arguments("ProcessBuilder", 0),
        arguments("String.valueOf(1)", 0),
        arguments("Math.max(1, 2)", 0),
        arguments("record == null ? 1 : Runtime", 21),
        arguments("record[java.lang.Runtime]", 7),
        // reaching a Class from a value
        arguments("''.class", 3),
        arguments("record.class", 7),
        arguments("record.getClass()", 7),
        arguments("record.getClass().forName('x')", 7),
        arguments("record . getClass ()", 9),
        arguments("record.?getClass()", 8),
        arguments("getClass()", 0),
        arguments("'abc'.getClass()", 6),
        arguments("empty.getClass()", 6),
        arguments("nil.class", 4),
        arguments("this", 0),
        arguments("this.getClass()", 0),
        arguments("record['class']", 7),
        arguments("record.applicant['Class']", 17),
        arguments("record.declaringClass", 7),
        arguments("now.dayOfWeek.getDeclaringClass", 14),
        arguments("now.dayOfWeek.getDeclaringClass.name", 14),
        arguments("record.x.getClassLoader", 9),
        arguments("record['getDeclaringClass']", 7),
        arguments("record.Class", 7),
        arguments("record.Runtime.runtime", 7),
        arguments("record.name.System.env", 12),
        arguments("('java.lang.' + 'Runtime').forName('x')", 27),
        arguments("('java.lang.' + 'Runtime').getClass()", 27),
        arguments("record instanceof java.util.Map", 7),
        arguments("record is java.util.Map", 7),
        // object creation, arrays, inline collections
        arguments("new java.io.File('/')", 0),
        arguments("new ProcessBuilder('id').start()", 0),
        arguments("new String[]{}", 0),
        arguments("{1, 2}", 0),
        arguments("[1, 2]", 0),
        arguments("record.items.toArray()", 13),
        arguments("record.items.stream()", 13),
        // assignment and mutation
        arguments("record.state = 'x'", 13),
        arguments("record.count++", 12),
        arguments("record.count--", 12),
        arguments("++record.count", 0),
        arguments("record.count += 1", 13),
        arguments("record.count -= 1", 13),
        arguments("record.state == 'a' ? record.x = 1 : 2", 31),
        arguments("record.items.clear()", 13),
        arguments("params.put('k', 'v')", 7),
        arguments("record.items.remove(0)", 13),
        // declarations, statements, blocks, loops
        arguments("def f() { 1 }", 0),
        arguments("function f() { 1 }", 0),
        arguments("var a = 1", 0),
        arguments("a = 1; a", 2),
        arguments("import java.io.*; 1", 0),
        arguments("record.x; record.y", 8),
        arguments("foreach (x : record.items) {}", 0),
        arguments("for (x : record.items) {}", 0),
        arguments("while (true) {}", 0),
        arguments("do { 1 } until (false)", 0),
        arguments("if (record.x) { 1 } else { 2 }", 0),
        arguments("with (record) { state = 'x' }", 0),
        arguments("record.{ state = 'x' }", 7),
        arguments("(name in record.items)", 6),
        arguments("isdef record", 0),
        arguments("record.state\nrecord.name", 13),
        // templates, interceptors, odd characters, escapes
        arguments("@{java.lang.Runtime.getRuntime()}", 0),
        arguments("@Intercept record", 0),
        arguments("record.$x", 7),
        arguments("record # 'x'", 7),
        arguments("`id`", 0),
        arguments("record\\u002EgetClass()", 6),
        arguments("record.st\\u0061te", 9),
        arguments("'\\u0027 + Runtime + \\u0027'", 1),
        arguments("r\u0435cord.state", 1), // Cyrillic 'е' in "record"
        arguments("record.x // comment", 9),
        arguments("record.x /* comment */", 9),
        arguments("0x41", 0),
        // regular expressions (denial of service)
        arguments("record.name.matches('(a+)+$')", 12),
        arguments("record.name ~= '(a+)+$'", 12),
        // unknown names and malformed text
        arguments("a", 0),
        arguments("secrets.token", 0),
        arguments("record.hashCode()", 7),
        arguments("record.items[0].notify()", 16),
        arguments("(record.x", 9),
        arguments("record.x)", 8),
        arguments("record.name 'x'", 12),
        arguments("", 0),
        arguments("   ", 0),
        arguments("'unterminated", 0));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("hostileExpressions")
  void hostileExpression_isRefusedAtCompileTime_withPositionAndReason(String expression, int position) {
    assertThatThrownBy(() -> compiler.compile(OWNER, expression))
        .isInstanceOfSatisfying(InvalidExpressionException.class, e -> {
          assertThat(e.owner()).isEqualTo(OWNER);
          assertThat(e.expression()).isEqualTo(expression);
          assertThat(e.reason()).isNotBlank();
          assertThat(e.getMessage()).startsWith(OWNER + ": expression '" + expression + "' refused");
          assertThat(e.position()).as("position of the offending token; reason: %s", e.reason())
              .isEqualTo(position);
        });
  }

  @Test
  void refusal_namesTheMethodAndTheAllowlist() {
    assertThatThrownBy(() -> compiler.compile(OWNER, "record.getClass()"))
        .isInstanceOfSatisfying(InvalidExpressionException.class, e -> {
          assertThat(e.reason()).startsWith("method 'getClass' is not allowed (allowed: ");
          assertThat(e.getMessage()).isEqualTo(OWNER + ": expression 'record.getClass()' refused at position 7: "
              + e.reason());
        });
  }

  @Test
  void refusal_ofAnUnknownRoot_listsTheVariablesThatExist() {
    assertThatThrownBy(() -> compiler.compile(OWNER, "Runtime.getRuntime()"))
        .isInstanceOfSatisfying(InvalidExpressionException.class, e -> assertThat(e.reason())
            .isEqualTo("unknown name 'Runtime': an expression may only read event, now, old, params, recipient,"
                + " record"));
  }

  @Test
  void refusal_ofAFunctionCall_saysOnlyMethodsOnValuesAreAllowed() {
    assertThatThrownBy(() -> compiler.compile(OWNER, "getClass()"))
        .isInstanceOfSatisfying(InvalidExpressionException.class, e -> assertThat(e.reason())
            .isEqualTo("'getClass(...)' is not allowed: no functions or static calls, only '.method(...)' on a value"));
  }

  @Test
  void expressionLongerThanTheLimit_isRefused() {
    String expression = "record.count + " + "1 + ".repeat(250) + "1";
    assertThat(expression.length()).isGreaterThan(ExpressionCompiler.MAX_LENGTH);
    assertThatThrownBy(() -> compiler.compile(OWNER, expression))
        .isInstanceOfSatisfying(InvalidExpressionException.class, e -> {
          assertThat(e.position()).isEqualTo(1_000);
          assertThat(e.reason()).isEqualTo("expression is " + expression.length()
              + " characters long; the limit is 1000");
        });
  }

  @Test
  void deeplyNestedExpression_isRefused_notAStackOverflow() {
    String expression = "(".repeat(400) + "1" + ")".repeat(400);

    assertThatThrownBy(() -> compiler.compile(OWNER, expression))
        .isInstanceOfSatisfying(InvalidExpressionException.class, e -> {
          assertThat(e.position()).isEqualTo(32);
          assertThat(e.reason()).isEqualTo("nested more than 32 levels deep");
        });
  }

  @Test
  void moderatelyNestedExpression_isAccepted() {
    String expression = "(".repeat(20) + "record.count" + ")".repeat(20) + " > 1";

    assertThat(compiler.compile(OWNER, expression).evaluate(Fixtures.permitVariables())).isEqualTo(true);
  }

  @Test
  void dynamicIndexSpellingClass_readsAMissingKey_notTheClass() {
    // params.key is the string "class": the index cannot be checked statically, but the value is a map
    // view, so indexing it only ever reads a key.
    CompiledExpression onMap = compiler.compile(OWNER, "record[params.key]");
    CompiledExpression onRecord = compiler.compile(OWNER, "record.applicant[params.key]");
    Map<String, Object> variables = Fixtures.permitVariables();

    assertThat(onMap.evaluate(variables)).isNull();
    assertThat(onRecord.evaluate(variables)).isNull();
  }

  @Test
  void propertyOfAMapView_neverReachesAGetterOfTheView() {
    Map<String, Object> variables = Fixtures.permitVariables();

    // AbstractMap has isEmpty(): on a view, 'empty' is just a key that is not there.
    assertThat(compiler.compile(OWNER, "record.empty").evaluate(variables)).isNull();
  }

  @Test
  void missingVariable_readsAsNull_neverAsAClassName() {
    assertThat(compiler.compile(OWNER, "recipient == null").evaluate(Map.of())).isEqualTo(true);
  }

  /**
   * MVEL runs a method without arguments written as a property. Before, a host's AtomicInteger reached the
   * expression as itself, and {@code record.counter.incrementAndGet} changed it at every evaluation.
   */
  @Test
  void aMutableNumberOfTheHost_reachesAnExpressionAsACopy_soNoPropertyCanChangeIt() {
    java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger(5);
    Map<String, Object> variables = Map.of("record", RecordViews.toValue(Map.of("counter", counter)));
    CompiledExpression read = compiler.compile(OWNER, "record.counter == 5");
    CompiledExpression increment = compiler.compile(OWNER, "record.counter.incrementAndGet");

    assertThat(read.evaluate(variables)).isEqualTo(true);
    try {
      increment.evaluate(variables);
    } catch (RuntimeException expected) {
      // a Long has no such property: the evaluation fails, which is fine
    }
    assertThat(counter.get()).isEqualTo(5);
  }

  /**
   * MVEL runs any public zero-argument method written as a property, void ones included, and reads public fields,
   * static ones too. Whether {@code record.items} is a list or a nested record is only known when the expression runs,
   * so these compile; but a property is only ever a key of a map view (or one of the few harmless properties), so
   * on a list, a number or a string they fail instead of running anything.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"record.items.stream.parallel.count", "record.items.toArray.length",
      "record.items.stream.close", "record.count.MAX_VALUE", "record.name.CASE_INSENSITIVE_ORDER", "record.count.TYPE",
      "record.keySet().stream", "record.items[0].MAX_VALUE", "record.count.intValue", "empty.INSTANCE"})
  void memberOfAValueWrittenAsAProperty_isNotRunNorRead(String expression) {
    CompiledExpression compiled = compiler.compile(OWNER, expression);

    assertThatThrownBy(() -> compiled.evaluate(Fixtures.permitVariables()))
        .isInstanceOfSatisfying(ExpressionEvaluationException.class, e -> {
          assertThat(e.owner()).isEqualTo(OWNER);
          assertThat(e.expression()).isEqualTo(expression);
        });
  }

  @Test
  void propertyOfANumber_isRefusedWithAMessageThatSaysWhy() {
    assertThatThrownBy(() -> compiler.compile(OWNER, "record.count.MAX_VALUE").evaluate(Fixtures.permitVariables()))
        .hasMessage(OWNER + ": expression 'record.count.MAX_VALUE' failed: a value of type Integer has no properties:"
            + " a name after '.' reads a field of a record or a key of a map (methods need '()')");
  }

  @ParameterizedTest(name = "[{index}] {0} => {1}")
  @MethodSource("propertiesThatStillRead")
  void keysAndHarmlessProperties_stillRead(String expression, Object expected) {
    assertThat(compiler.compile(OWNER, expression).evaluate(Fixtures.permitVariables())).isEqualTo(expected);
  }

  static Stream<Arguments> propertiesThatStillRead() {
    return Stream.of(
        arguments("record.applicant.address.city", "Bandung"),
        arguments("record . applicant . name", "Sari"),
        arguments("record.?missing.city", null),
        arguments("record.?applicant.?name", "Sari"),
        arguments("(record.applicant).phone", "+6281234567890"),
        arguments("record.name.length", 4),
        arguments("record.items.size", 3),
        arguments("record.name.empty", false),
        arguments("record.name.blank", false),
        arguments("record.dueDate.year", 2024),
        arguments("record.dueDate.monthValue", 5),
        arguments("record.dueDate.dayOfMonth", 1),
        // on a map view every property is a key, the harmless ones too
        arguments("record.size", null),
        arguments("record.stream", null),
        arguments("params.days", 5));
  }
}
