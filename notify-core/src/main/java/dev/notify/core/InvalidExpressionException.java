package dev.notify.core;

/**
 * An MVEL expression was refused: it does not parse, or it reaches outside the sandbox (class loading,
 * {@code new}, static calls, reflection, assignment, a method outside the allowlist...). Raised when the
 * trigger or rule is registered, never at fire time.
 */
public class InvalidExpressionException extends InvalidDefinitionException {
  private static final long serialVersionUID = 1L;

  private final String owner;
  private final String expression;
  private final int position;
  private final String reason;

  /**
   * @param owner what holds the expression, e.g. {@code rule 'notify_permit_approved' condition}
   * @param expression the refused expression
   * @param position zero-based character offset of the offending token, or -1 if unknown
   * @param reason why it was refused
   */
  public InvalidExpressionException(String owner, String expression, int position, String reason) {
    super(owner + ": expression '" + expression + "' refused"
        + (position >= 0 ? " at position " + position : "") + ": " + reason);
    this.owner = owner;
    this.expression = expression;
    this.position = position;
    this.reason = reason;
  }

  public String owner() { return owner; }
  public String expression() { return expression; }
  /** Zero-based offset of the offending token, or -1. */
  public int position() { return position; }
  public String reason() { return reason; }
}
