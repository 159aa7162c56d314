package dev.notify.core.internal.expr;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import org.mvel2.MVEL;

/** A {@link CompiledExpression} backed by an MVEL compiled (and sandbox-checked) expression. */
final class MvelExpression implements CompiledExpression {
  private final String owner;
  private final String source;
  private final Serializable compiled;
  private final Set<String> roots;

  MvelExpression(String owner, String source, Serializable compiled, Set<String> roots) {
    this.owner = owner;
    this.source = source;
    this.compiled = compiled;
    this.roots = roots;
  }

  @Override
  public Object evaluate(Map<String, ?> variables) {
    try {
      return MVEL.executeExpression(compiled, new SandboxVariables(variables, roots));
    } catch (RuntimeException e) {
      throw new ExpressionEvaluationException(owner, source, describe(e), e);
    } catch (StackOverflowError e) {
      throw new ExpressionEvaluationException(owner, source, "too deeply nested", e);
    }
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    // MVEL appends the whole expression with a caret on following lines; the first line says it all.
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline).strip() : message;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public String toString() {
    return owner + ": " + source;
  }
}
