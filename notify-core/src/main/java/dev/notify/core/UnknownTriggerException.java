package dev.notify.core;

/** fire() named a trigger code that is not registered. */
public class UnknownTriggerException extends NotifyException {
  private static final long serialVersionUID = 1L;

  public UnknownTriggerException(String message) {
    super(message);
  }

  public UnknownTriggerException(String message, Throwable cause) {
    super(message, cause);
  }
}
