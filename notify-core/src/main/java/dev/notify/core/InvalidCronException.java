package dev.notify.core;

/** A cron expression could not be parsed; the message names the job or trigger and the expression. */
public class InvalidCronException extends InvalidDefinitionException {
  private static final long serialVersionUID = 1L;

  public InvalidCronException(String message) {
    super(message);
  }

  public InvalidCronException(String message, Throwable cause) {
    super(message, cause);
  }
}
