package dev.notify.core;

/** A campaign or job was asked for a transition its current state does not allow. */
public class IllegalStateTransitionException extends NotifyException {
  private static final long serialVersionUID = 1L;

  public IllegalStateTransitionException(String message) {
    super(message);
  }

  public IllegalStateTransitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
