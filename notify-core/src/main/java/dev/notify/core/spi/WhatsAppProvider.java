package dev.notify.core.spi;

import dev.notify.core.WebhookRequest;

/**
 * Sends one message through a WhatsApp gateway. Implementations are thread-safe: the engine calls
 * {@link #send} from several workers at once.
 *
 * <p>Error contract: {@link #send} never throws for a provider-side failure; it returns
 * {@link SendResult.Retryable} or {@link SendResult.Permanent}. An exception thrown anyway is treated as
 * retryable. Secrets must not appear in results or exceptions.
 */
public interface WhatsAppProvider extends AutoCloseable {
  /** Stable id, e.g. {@code meta}, {@code fonnte}, {@code recording}. */
  String id();

  SendResult send(OutboundMessage message);

  /**
   * Handles an HTTP callback from the provider: verifies it, answers it and says what it reports.
   * The default answers 404: the provider has no webhooks.
   */
  default WebhookResult handleWebhook(WebhookRequest request) { return WebhookResult.notSupported(id()); }

  /** Releases HTTP clients and threads. Called once by the engine on close. */
  @Override default void close() {}
}
