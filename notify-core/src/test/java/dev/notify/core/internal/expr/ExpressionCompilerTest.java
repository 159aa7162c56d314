package dev.notify.core.internal.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.notify.core.InvalidExpressionException;
import dev.notify.core.NotifyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExpressionCompilerTest {
  private static final String OWNER = "rule 'notify_permit_approved' condition";

  private final ExpressionCompiler compiler = new ExpressionCompiler(100);

  @Test
  void sameExpressionAndOwner_isCompiledOnce_cacheHitReturnsTheSameInstance() {
    CompiledExpression first = compiler.compile(OWNER, "record.state == 'approved'");
    CompiledExpression second = compiler.compile(OWNER, "record.state == 'approved'");

    assertThat(second).isSameAs(first);
    assertThat(first.source()).isEqualTo("record.state == 'approved'");
    assertThat(first.owner()).isEqualTo(OWNER);
  }

  @Test
  void sameTextWithDifferentExtraVariables_isValidatedSeparately() {
    assertThat(compiler.compile(OWNER, "permitNo.length()", Set.of("permitNo"))).isNotNull();

    assertThatThrownBy(() -> compiler.compile(OWNER, "permitNo.length()"))
        .isInstanceOf(InvalidExpressionException.class)
        .hasMessageContaining("unknown name 'permitNo'");
  }

  @Test
  void refusedExpression_isNotCached_andIsRefusedAgain() {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> compiler.compile(OWNER, "record.getClass()"))
          .isInstanceOf(InvalidExpressionException.class);
    }
  }

  @Test
  void extraVariable_isReadable() {
    CompiledExpression e = compiler.compile("rule 'r' context 'label'", "permitNo + '/' + record.state",
        Set.of("permitNo"));

    assertThat(e.evaluate(Map.of("permitNo", "P-7", "record", Map.of("state", "approved"))))
        .isEqualTo("P-7/approved");
  }

  @Test
  void extraVariableNamedLikeAPackageOrKeyword_isRejected() {
    for (String bad : List.of("java", "com", "new", "class", "null", "contains", "Runtime", "int", "a.b", "x$", "")) {
      assertThatThrownBy(() -> compiler.compile(OWNER, "record", Set.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void evaluationError_namesOwnerAndExpression() {
    CompiledExpression e = compiler.compile(OWNER, "record.applicant.name == 'x'");

    assertThatThrownBy(() -> e.evaluate(Map.of("record", Map.of("state", "approved"))))
        .isInstanceOf(ExpressionEvaluationException.class)
        .isInstanceOf(NotifyException.class)
        .hasMessageStartingWith(OWNER + ": expression 'record.applicant.name == 'x'' failed: ");
  }

  @Test
  void condition_trueFalseAndNull() {
    Map<String, Object> variables = Fixtures.permitVariables();

    assertThat(compiler.evaluateCondition(compiler.compile(OWNER, "record.count > 3"), variables, OWNER)).isTrue();
    assertThat(compiler.evaluateCondition(compiler.compile(OWNER, "record.count > 9"), variables, OWNER)).isFalse();
    assertThat(compiler.evaluateCondition(compiler.compile(OWNER, "record.missing"), variables, OWNER)).isFalse();
  }

  @Test
  void conditionThatIsNotABoolean_isAnError_namingOwnerAndType_butNotTheValue() {
    CompiledExpression e = compiler.compile(OWNER, "record.state");

    assertThatThrownBy(() -> compiler.evaluateCondition(e, Fixtures.permitVariables(), OWNER))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessage(OWNER + ": expression 'record.state' failed: a condition must be true or false but was"
            + " a String");
  }

  @Test
  void conditionThatIsNotABoolean_namesTheKindOfEveryResult() {
    Map<String, Object> variables = Fixtures.permitVariables();

    assertThat(conditionFailure("record.count", variables)).endsWith("but was an Integer");
    assertThat(conditionFailure("record.applicant", variables)).endsWith("but was a map");
    assertThat(conditionFailure("record.items", variables)).endsWith("but was a list");
    assertThat(conditionFailure("record.keySet()", variables)).endsWith("but was a collection");
    assertThat(conditionFailure("record.dueDate", variables)).endsWith("but was a LocalDate");
  }

  private String conditionFailure(String condition, Map<String, Object> variables) {
    CompiledExpression e = compiler.compile(OWNER, condition);
    return catchThrowable(() -> compiler.evaluateCondition(e, variables, OWNER)).getMessage();
  }

  @Test
  void isTruthy_onlyForBooleanTrue() {
    assertThat(ExpressionCompiler.isTruthy(Boolean.TRUE)).isTrue();
    assertThat(ExpressionCompiler.isTruthy(Boolean.FALSE)).isFalse();
    assertThat(ExpressionCompiler.isTruthy(null)).isFalse();
    assertThat(ExpressionCompiler.isTruthy("true")).isFalse();
    assertThat(ExpressionCompiler.isTruthy(1)).isFalse();
  }

  @Test
  void unconvertedHostValues_areConvertedOnTheWayIn() {
    CompiledExpression e = compiler.compile(OWNER, "record.applicant.name + ':' + record.missing");

    Map<String, Object> record = new HashMap<>();
    record.put("applicant", new Fixtures.Applicant("Sari", "+62", null));

    assertThat(e.evaluate(Map.of("record", record))).isEqualTo("Sari:null");
  }

  @Test
  void mvelLayer_refusesWhatTheValidatorWouldHaveRefused_defenseInDepth() {
    Set<String> roots = SandboxValidator.STANDARD_ROOTS;
    for (String hostile : List.of("new java.util.ArrayList()", "x = 1", "def f() { 1 }; f()",
        "java.lang.Runtime.getRuntime()", "foreach (i : record.items) { i }", "secret.token")) {
      assertThat(catchThrowable(() -> ExpressionCompiler.compileWithMvel(OWNER, hostile, roots)))
          .as(hostile)
          .isInstanceOf(InvalidExpressionException.class);
    }
  }

  @Test
  void cacheSizeBelowOne_isRejected() {
    assertThatThrownBy(() -> new ExpressionCompiler(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheSize must be at least 1 but was 0");
  }

  @Test
  void oneCompiledExpression_evaluatedFromEightThreads_givesTheSameResultsAsSequentialJava() throws Exception {
    // A fresh compiler so that MVEL's lazy first-run optimisation itself happens under contention,
    // with map views and record views alternating as the receiver.
    ExpressionCompiler fresh = new ExpressionCompiler(10);
    CompiledExpression condition = fresh.compile(OWNER, "record.state == 'approved' && old.state == 'draft'");
    CompiledExpression value = fresh.compile(OWNER,
        "record.name.toUpperCase() + '-' + (record.count * 2) + (params.?x == null ? '' : params.x)");
    int threads = 8;
    int iterations = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          start.await();
          int mismatches = 0;
          for (int i = 0; i < iterations; i++) {
            String state = (i + thread) % 3 == 0 ? "approved" : "rejected";
            String oldState = i % 2 == 0 ? "draft" : "approved";
            String name = "n" + thread + "_" + i;
            Object record = i % 2 == 0
                ? Map.of("state", state, "name", name, "count", i)
                : new ConcurrencyRecord(state, name, i);
            Map<String, Object> vars = Map.of("record", RecordViews.toValue(record),
                "old", RecordViews.toValue(Map.of("state", oldState)), "params", Map.of("x", "!"));

            boolean expectedCondition = state.equals("approved") && oldState.equals("draft");
            String expectedValue = name.toUpperCase() + "-" + (i * 2) + "!";
            if (!Boolean.valueOf(expectedCondition).equals(condition.evaluate(vars))
                || !expectedValue.equals(value.evaluate(vars))) {
              mismatches++;
            }
          }
          return mismatches;
        }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  record ConcurrencyRecord(String state, String name, int count) { }
}
