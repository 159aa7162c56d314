package dev.notify.provider.meta.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.SecretRedactor;
import dev.notify.core.spi.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Classifies a Cloud API answer. Success is a 2xx with {@code messages[0].id}. Errors are classified by
 * {@code error.code} (Meta's guidance; the HTTP status differs between copies of the table), then by HTTP
 * status when there is no readable error body.
 */
public final class MetaResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Retrying cannot help: auth, permission, undeliverable, 24 h window, template problems, policy block. */
  private static final Set<Integer> PERMANENT = Set.of(0, 190, 10, 131026, 131047, 131048, 132000, 132001, 368);
  /** Rate limits of the business account or number: back off, honouring Retry-After. */
  private static final Set<Integer> RATE_LIMIT = Set.of(4, 80007, 130429);
  /**
   * Limits of one recipient: the pair rate limit (131056, too many messages to this number) and the per-user
   * marketing limit (131049). Back off as for rate limits, without counting towards the circuit breaker: other
   * recipients still get through.
   */
  private static final Set<Integer> RECIPIENT_LIMIT = Set.of(131056, 131049);
  /** Transient: unknown error, service down, something went wrong, number under maintenance. */
  private static final Set<Integer> TRANSIENT = Set.of(1, 2, 131000, 131057);
  private static final int MAINTENANCE = 131057;
  /** "number under maintenance ... at most 1 minute". */
  private static final Duration MAINTENANCE_HINT = Duration.ofMinutes(1);

  private final Clock clock;
  private final Duration maxRetryAfter;
  private final SecretRedactor redactor;

  public MetaResponses(Clock clock, Duration maxRetryAfter, SecretRedactor redactor) {
    this.clock = clock;
    this.maxRetryAfter = maxRetryAfter;
    this.redactor = redactor;
  }

  public SendResult classify(int http, String retryAfterHeader, String body, int attempt) {
    JsonNode root = parse(body);
    boolean ok = http >= 200 && http < 300;
    Duration retryAfter = ProviderSupport.retryAfter(retryAfterHeader, clock, maxRetryAfter);
    // "Retry-After: 0" (or a date in the past) gives no delay: fall back to the hints below, not to none
    if (retryAfter != null && retryAfter.isZero()) retryAfter = null;
    if (root != null) {
      JsonNode id = root.path("messages").path(0).path("id");
      if (ok && id.isTextual() && !id.asText().isBlank()) return SendResult.accepted(id.asText());
      JsonNode error = root.path("error");
      Integer code = error.isObject() ? intCode(error.path("code")) : null;
      if (code != null) return byCode(code, error, http, retryAfter, attempt);
    }
    return byHttpStatus(http, body, root != null, retryAfter);
  }

  private SendResult byCode(int code, JsonNode error, int http, Duration retryAfter, int attempt) {
    String message = describe(code, error, http);
    String c = Integer.toString(code);
    if (PERMANENT.contains(code) || code >= 200 && code <= 299) return SendResult.permanent(c, message);
    if (RATE_LIMIT.contains(code)) {
      // No Retry-After: grow the delay 4^attempt seconds (Meta's advice for the pair rate limit 131056).
      return SendResult.retryable(c, message, retryAfter != null ? retryAfter : ProviderSupport.growingBackoff(4, attempt, maxRetryAfter));
    }
    if (RECIPIENT_LIMIT.contains(code)) {
      return SendResult.retryableForRecipient(c, message,
          retryAfter != null ? retryAfter : ProviderSupport.growingBackoff(4, attempt, maxRetryAfter));
    }
    if (code == MAINTENANCE) {
      return SendResult.retryable(c, message, retryAfter != null ? retryAfter : min(MAINTENANCE_HINT, maxRetryAfter));
    }
    if (TRANSIENT.contains(code)) return SendResult.retryable(c, message, retryAfter);
    // Not in Meta's table: an auth answer is final, anything else retryable (the engine caps retries). It counts
    // towards the circuit breaker: many account-wide errors (payment, number not registered, template disabled)
    // come as a 400 with a code of their own, and the next provider should take over
    if (http == 401 || http == 403) return SendResult.permanent(c, message);
    return SendResult.retryable(c, message, retryAfter);
  }

  private SendResult byHttpStatus(int http, String body, boolean json, Duration retryAfter) {
    String what = http >= 200 && http < 300
        ? "Meta answered HTTP " + http + " without a message id"
        : "Meta answered HTTP " + http + " without an error code";
    String message = redactor.redact(what + (body == null || body.isBlank() ? " (empty body)" : (json ? ": " : " (not JSON): ") + body));
    if (http == 429) return SendResult.retryable("http_429", message, retryAfter);
    if (http == 401 || http == 403) return SendResult.permanent("http_" + http, message);
    if (http >= 200 && http < 300) return SendResult.retryable("invalid_response", message, retryAfter);
    return SendResult.retryable("http_" + http, message, retryAfter);
  }

  private String describe(int code, JsonNode error, int http) {
    StringBuilder sb = new StringBuilder("Meta error ").append(code).append(" (HTTP ").append(http).append(')');
    String msg = error.path("message").asText("");
    if (!msg.isBlank()) sb.append(": ").append(msg);
    String details = error.path("error_data").path("details").asText("");
    if (!details.isBlank()) sb.append(" - ").append(details);
    return redactor.redact(sb.toString());
  }

  /** The code as a number or, defensively, as a string of digits. */
  private static Integer intCode(JsonNode code) {
    if (code.isIntegralNumber() && code.canConvertToInt()) return code.asInt();
    if (code.isTextual() && code.asText().matches("\\d{1,9}")) return Integer.parseInt(code.asText());
    return null;
  }

  private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }

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
