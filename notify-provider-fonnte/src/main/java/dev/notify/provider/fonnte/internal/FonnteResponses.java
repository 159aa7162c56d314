package dev.notify.provider.fonnte.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.SecretRedactor;
import dev.notify.core.spi.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Classifies a Fonnte {@code /send} answer. Fonnte answers failures with HTTP 200 too, so the boolean
 * {@code status} decides; {@code reason} tells permanent from retryable. An unknown reason is retryable.
 */
public final class FonnteResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final Duration maxRetryAfter;
  private final SecretRedactor redactor;

  public FonnteResponses(Clock clock, Duration maxRetryAfter, SecretRedactor redactor) {
    this.clock = clock;
    this.maxRetryAfter = maxRetryAfter;
    this.redactor = redactor;
  }

  public SendResult classify(int http, String retryAfterHeader, String body) {
    Duration retryAfter = ProviderSupport.retryAfter(retryAfterHeader, clock, maxRetryAfter);
    JsonNode root = parse(body);
    Boolean status = root == null ? null : bool(root.path("status"));
    if (http == 429) {
      return SendResult.retryable("http_429", redactor.redact("Fonnte answered HTTP 429" + reasonSuffix(root, body)), retryAfter);
    }
    if (Boolean.TRUE.equals(status) && http >= 200 && http < 300) return SendResult.accepted(firstId(root.path("id")));
    if (Boolean.FALSE.equals(status)) return byReason(root.path("reason").asText(""), http, retryAfter);
    String message = redactor.redact("Fonnte answered HTTP " + http + reasonSuffix(root, body));
    if (http == 401 || http == 403) return SendResult.permanent("http_" + http, message);
    if (http >= 200 && http < 300) return SendResult.retryable("invalid_response", message, retryAfter);
    return SendResult.retryable("http_" + http, message, retryAfter);
  }

  private SendResult byReason(String reason, int http, Duration retryAfter) {
    String message = redactor.redact("Fonnte refused the message (HTTP " + http + "): " + (reason.isBlank() ? "no reason given" : reason));
    String r = reason.strip().toLowerCase(Locale.ROOT);
    if (r.equals("invalid token")) return SendResult.permanent("invalid_token", message);
    if (r.equals("target invalid")) return SendResult.permanent("target_invalid", message);
    if (r.equals("request invalid on disconnected device")) return SendResult.retryable("device_disconnected", message, retryAfter);
    return SendResult.retryable("fonnte_error", message, retryAfter);
  }

  private static String reasonSuffix(JsonNode root, String body) {
    if (root != null && root.hasNonNull("reason")) return ": " + root.path("reason").asText();
    if (body == null || body.isBlank()) return " (empty body)";
    return root == null ? " (not JSON): " + body : ": " + body;
  }

  /** {@code id} is an array lining up with {@code target}; the first entry is ours. Null when absent. */
  private static String firstId(JsonNode id) {
    JsonNode first = id.isArray() ? id.path(0) : id;
    return first.isValueNode() && !first.isNull() && !first.asText().isBlank() ? first.asText() : null;
  }

  /** A JSON boolean, or defensively the strings "true"/"false"; null otherwise. */
  private static Boolean bool(JsonNode n) {
    if (n.isBoolean()) return n.asBoolean();
    if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))) return Boolean.valueOf(n.asText());
    return null;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) return null;
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
