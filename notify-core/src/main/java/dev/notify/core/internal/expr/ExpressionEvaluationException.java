package dev.notify.core.internal.expr;

import dev.notify.core.NotifyException;

/** A sandboxed expression compiled, but failed when evaluated (or a condition did not yield a boolean). */
public class ExpressionEvaluationException extends NotifyException {
  private static final long serialVersionUID = 1L;

  private final String owner;
  private final String expression;

  public ExpressionEvaluationException(String owner, String expression, String reason, Throwable cause) {
    super(owner + ": expression '" + expression + "' failed: " + reason, cause);
    this.owner = owner;
    this.expression = expression;
  }

  public String owner() { return owner; }
  public String expression() { return expression; }
}
