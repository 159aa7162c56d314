package dev.notify.core;

/**
 * What the host's HTTP layer should answer the provider.
 *
 * @param status HTTP status
 * @param contentType content type of the body
 * @param body the body text
 */
public record WebhookResponse(int status, String contentType, String body) {
  public static WebhookResponse ok(String body) { return new WebhookResponse(200, "text/plain; charset=utf-8", body); }
  public static WebhookResponse ok() { return ok("OK"); }
  public static WebhookResponse status(int status, String body) { return new WebhookResponse(status, "text/plain; charset=utf-8", body); }
}
