package dev.notify.core;

/**
 * Root of every exception notify throws. Unchecked; subclasses are named after the failure and their
 * messages name the trigger, rule, template or provider involved and the offending value (phone numbers
 * masked).
 */
public class NotifyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotifyException(String message) {
    super(message);
  }

  public NotifyException(String message, Throwable cause) {
    super(message, cause);
  }
}
