package dev.notify.examples.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.WebhookRequest;
import dev.notify.core.WebhookResponse;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WebhookEvent;
import dev.notify.core.spi.WebhookResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A complete small provider plugin for a fictional HTTP gateway "Acme", written as the provider plugin guide
 * (docs/provider-plugin-guide.md) describes: one synchronous {@link #send}, every failure classified as
 * {@link SendResult.Retryable} or {@link SendResult.Permanent} (never thrown), secrets never in results, and a
 * secret-protected status webhook.
 *
 * <p>The gateway's API: {@code POST {baseUrl}/messages} with {@code Authorization: Bearer <token>} and JSON
 * {@code {"to": "628...", "text": "..."}}; 200 {@code {"id": "..."}} on success; 400
 * {@code {"error": "invalid_number"}} for a bad number; 401/403 for a bad token; 429 with Retry-After when
 * throttled; 5xx when down. Status callbacks: {@code POST} with header {@code X-Acme-Secret} and JSON
 * {@code {"id": "...", "status": "delivered"}}.
 */
public final class AcmeGatewayProvider implements WhatsAppProvider {
  /** The provider id hosts name: {@code builder.provider("acme")}. */
  public static final String ID = "acme";
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String baseUrl;
  private final String token;
  private final String webhookSecret;
  private final OkHttpClient http;

  /**
   * @param baseUrl e.g. {@code https://api.acme.example}
   * @param token the API token (never logged, never in a result)
   * @param webhookSecret the shared secret of status callbacks, or null to refuse them
   * @param timeout connect and read timeout
   */
  public AcmeGatewayProvider(String baseUrl, String token, String webhookSecret, Duration timeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    this.webhookSecret = webhookSecret;
    this.http = new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(timeout).build();
  }

  @Override public String id() { return ID; }

  @Override public SendResult send(OutboundMessage message) {
    String json;
    try {
      json = MAPPER.writeValueAsString(Map.of("to", message.phoneDigits(), "text", message.text()));
    } catch (IOException e) {
      return SendResult.permanent("unencodable", "message could not be encoded as JSON");
    }
    Request request = new Request.Builder().url(baseUrl + "/messages")
        .header("Authorization", "Bearer " + token)
        .header("Idempotency-Key", message.entryId()) // the same across retries of one entry
        .post(RequestBody.create(json, JSON)).build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      return classify(response.code(), body, response.header("Retry-After"));
    } catch (InterruptedIOException e) {
      return SendResult.retryable("timeout", "no answer from Acme in time");
    } catch (IOException e) {
      return SendResult.retryable("io", "could not reach Acme: " + e.getClass().getSimpleName());
    }
  }

  /** Maps an HTTP answer to a result. Unknown errors are retryable; only what retrying cannot fix is permanent. */
  static SendResult classify(int status, String body, String retryAfter) {
    JsonNode json = parse(body);
    if (status >= 200 && status < 300) {
      String id = json.path("id").asText(null);
      return id == null ? SendResult.retryable("invalid_response", "2xx without a message id")
          : SendResult.accepted(id);
    }
    String error = json.path("error").asText("");
    if (status == 400 && error.equals("invalid_number")) return SendResult.permanent("invalid_number", "Acme: not a WhatsApp number");
    if (status == 401 || status == 403) return SendResult.permanent("http_" + status, "Acme refused the token");
    if (status == 429) return SendResult.retryable("http_429", "Acme is throttling", seconds(retryAfter));
    return SendResult.retryable("http_" + status, "Acme answered " + status + (error.isEmpty() ? "" : " " + error));
  }

  private static Duration seconds(String retryAfter) {
    if (retryAfter == null) return null;
    try {
      long s = Long.parseLong(retryAfter.trim());
      return s > 0 ? Duration.ofSeconds(s) : null;
    } catch (NumberFormatException e) {
      return null; // an HTTP date or garbage: let the engine's backoff decide
    }
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = MAPPER.readTree(body);
      return n == null ? MAPPER.createObjectNode() : n;
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }

  @Override public WebhookResult handleWebhook(WebhookRequest request) {
    if (webhookSecret == null) return WebhookResult.notSupported(ID);
    if (!request.method().equals("POST")) return WebhookResult.respond(WebhookResponse.status(405, "POST only"));
    String given = request.header("X-Acme-Secret").orElse("");
    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), webhookSecret.getBytes(StandardCharsets.UTF_8))) {
      return WebhookResult.forbidden("missing or wrong X-Acme-Secret");
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(request.body());
    } catch (IOException e) {
      return WebhookResult.respond(WebhookResponse.status(400, "body is not JSON"));
    }
    DeliveryStatus status;
    switch (json.path("status").asText("")) {
      case "delivered": status = DeliveryStatus.DELIVERED; break;
      case "read": status = DeliveryStatus.READ; break;
      case "failed": status = DeliveryStatus.FAILED; break;
      default: return WebhookResult.respond(WebhookResponse.ok("ignored"));
    }
    String id = json.path("id").asText(null);
    if (id == null) return WebhookResult.respond(WebhookResponse.status(400, "status without id"));
    return new WebhookResult(WebhookResponse.ok(), List.of(new WebhookEvent.StatusUpdate(id, status, Instant.now(), null, null)));
  }

  @Override public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
