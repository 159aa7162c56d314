package dev.notify.core;

/** A provider is missing, unknown, or misconfigured (e.g. a blank credential). Raised at engine start. */
public class ProviderConfigurationException extends NotifyException {
  private static final long serialVersionUID = 1L;

  public ProviderConfigurationException(String message) {
    super(message);
  }

  public ProviderConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
