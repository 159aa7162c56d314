package dev.notify.core;

/** A trigger, rule, template or campaign definition is invalid; nothing was saved. */
public class InvalidDefinitionException extends NotifyException {
  private static final long serialVersionUID = 1L;

  public InvalidDefinitionException(String message) {
    super(message);
  }

  public InvalidDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
