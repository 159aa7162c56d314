package dev.notify.provider.watzap.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.SecretRedactor;
import dev.notify.core.spi.SendResult;
import java.time.Clock;
import java.time.Duration;

/**
 * Classifies a Watzap answer by its {@code status} code (a string, "200" on success). Watzap returns no
 * message id, so an accepted send has no external id. Unknown codes are retryable.
 */
public final class WatzapResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final Duration maxRetryAfter;
  private final SecretRedactor redactor;

  public WatzapResponses(Clock clock, Duration maxRetryAfter, SecretRedactor redactor) {
    this.clock = clock;
    this.maxRetryAfter = maxRetryAfter;
    this.redactor = redactor;
  }

  public SendResult classify(int http, String retryAfterHeader, String body) {
    Duration retryAfter = ProviderSupport.retryAfter(retryAfterHeader, clock, maxRetryAfter);
    JsonNode root = parse(body);
    String status = root == null ? "" : root.path("status").isValueNode() ? root.path("status").asText("").strip() : "";
    if (http == 429) return SendResult.retryable("http_429", redactor.redact("Watzap answered HTTP 429" + suffix(root, body)), retryAfter);
    if (status.equals("200") && http >= 200 && http < 300) return SendResult.accepted(null);
    if (!status.isEmpty() && !status.equals("200")) {
      String message = redactor.redact("Watzap error " + status + " (HTTP " + http + ")" + suffix(root, body));
      return switch (status) {
        case "1002", "1003", "1004" -> SendResult.permanent(status, message); // invalid API key / number key, pairing failed
        default -> SendResult.retryable(status, message, retryAfter);          // 1005 fatal, 1006 other, unknown codes
      };
    }
    String message = redactor.redact("Watzap answered HTTP " + http + suffix(root, body));
    if (http == 401 || http == 403) return SendResult.permanent("http_" + http, message);
    if (http >= 200 && http < 300) return SendResult.retryable("invalid_response", message, retryAfter);
    return SendResult.retryable("http_" + http, message, retryAfter);
  }

  private static String suffix(JsonNode root, String body) {
    if (root != null && root.hasNonNull("message")) return ": " + root.path("message").asText();
    if (body == null || body.isBlank()) return " (empty body)";
    return root == null ? " (not JSON): " + body : ": " + body;
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
