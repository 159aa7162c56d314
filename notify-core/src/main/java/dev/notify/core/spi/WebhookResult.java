package dev.notify.core.spi;

import dev.notify.core.WebhookResponse;
import java.util.List;

/**
 * A provider's answer to a webhook request: the HTTP response, and the events to apply (empty for a
 * rejected or a verification request).
 */
public record WebhookResult(WebhookResponse response, List<WebhookEvent> events) {
  public WebhookResult {
    events = List.copyOf(events);
  }

  public static WebhookResult respond(WebhookResponse response) { return new WebhookResult(response, List.of()); }

  public static WebhookResult notSupported(String providerId) {
    return respond(WebhookResponse.status(404, "provider '" + providerId + "' has no webhooks"));
  }

  /** 401: the signature is missing or wrong. Nothing is applied. */
  public static WebhookResult forbidden(String why) { return respond(WebhookResponse.status(401, why)); }
}
