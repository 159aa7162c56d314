package dev.notify.core;

/** The NotificationStore failed (database unreachable, schema too new, ...). */
public class StoreException extends NotifyException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
