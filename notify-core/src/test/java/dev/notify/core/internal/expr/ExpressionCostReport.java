package dev.notify.core.internal.expr;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prints what one evaluation costs. Not an assertion (timing in a shared build is noise); run it and
 * read the numbers: {@code mvn -pl notify-core test -Dtest=ExpressionCostReport}.
 */
class ExpressionCostReport {

  @Test
  void printsNanosecondsPerEvaluation() {
    ExpressionCompiler compiler = new ExpressionCompiler(10);
    CompiledExpression condition = compiler.compile("bench", "record.state == 'approved' && old.state == 'draft'");
    CompiledExpression method = compiler.compile("bench", "record.applicant.name.toUpperCase() == 'SARI'");
    Map<String, Object> mapVars = Fixtures.permitVariables();
    Map<String, Object> beanVars = Map.of(
        "record", RecordViews.toValue(new Fixtures.Permit("approved", 5, new Fixtures.Applicant("Sari", "+62", null), true)),
        "old", RecordViews.toValue(Map.of("state", "draft")));

    report("condition over map views", condition, mapVars, mapVars);
    report("condition over a JavaBean view", condition, beanVars, beanVars);
    report("condition, map and bean views alternating", condition, mapVars, beanVars);
    report("record component + method call", method, mapVars, mapVars);
  }

  private static void report(String label, CompiledExpression e, Map<String, Object> a, Map<String, Object> b) {
    int n = 200_000;
    long sink = 0;
    for (int round = 0; round < 5; round++) { // warm up, then keep the last round
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += e.evaluate((i & 1) == 0 ? a : b) == Boolean.TRUE ? 1 : 0;
      }
      long elapsed = System.nanoTime() - start;
      if (round == 4) {
        System.out.printf("%-45s %6.0f ns/op (%d true)%n", label, (double) elapsed / n, sink);
      }
    }
  }
}
