package dev.notify.core;

/** A rule or testSend named a template key the TemplateRegistry does not know. */
public class UnknownTemplateException extends InvalidDefinitionException {
  private static final long serialVersionUID = 1L;

  public UnknownTemplateException(String message) {
    super(message);
  }

  public UnknownTemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
