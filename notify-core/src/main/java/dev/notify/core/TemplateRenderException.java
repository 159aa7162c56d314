package dev.notify.core;

/** A template could not be rendered, e.g. a placeholder has no value. Permanent for the entry. */
public class TemplateRenderException extends NotifyException {
  private static final long serialVersionUID = 1L;

  public TemplateRenderException(String message) {
    super(message);
  }

  public TemplateRenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
