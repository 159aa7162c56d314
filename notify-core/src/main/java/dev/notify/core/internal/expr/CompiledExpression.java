package dev.notify.core.internal.expr;

import java.util.Map;

/**
 * An expression that passed the sandbox and was compiled once. Immutable and safe to evaluate from
 * many threads at once.
 */
public interface CompiledExpression {

  /**
   * Evaluates the expression over {@code variables} (values already converted by
   * {@link RecordViews#toValue(Object)}).
   *
   * @throws ExpressionEvaluationException if evaluation fails (e.g. a property of {@code null}); the
   *     message names the owner and the expression
   */
  Object evaluate(Map<String, ?> variables);

  /** The expression text, as written. */
  String source();

  /** What holds the expression, e.g. {@code rule 'notify_permit_approved' condition}. */
  String owner();
}
