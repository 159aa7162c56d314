package dev.notify.provider.fonnte.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.WebhookRequest;
import dev.notify.core.WebhookResponse;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.WebhookEvent;
import dev.notify.core.spi.WebhookResult;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fonnte's status callback ({@code webhookstatus}): a JSON object with {@code id}, {@code status} and
 * {@code state}. Its exact values are not documented, so both fields are mapped and the further one wins;
 * a value we do not know reports nothing. Callbacks must carry the shared secret.
 */
public final class FonnteWebhooks {
  private static final Logger log = LoggerFactory.getLogger(FonnteWebhooks.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String secret; // null: webhooks disabled
  private final Clock clock;

  public FonnteWebhooks(String webhookSecret, Clock clock) {
    this.secret = webhookSecret;
    this.clock = clock;
  }

  public WebhookResult handle(WebhookRequest request) {
    if (secret == null) {
      return WebhookResult.respond(WebhookResponse.status(404, "fonnte webhooks are disabled: set 'webhook-secret' "
          + "(notify.fonnte.webhook-secret or NOTIFY_FONNTE_WEBHOOK_SECRET) and add ?secret=<it> to the webhook URL"));
    }
    if (!request.method().equals("POST")) {
      return WebhookResult.respond(WebhookResponse.status(405, "method " + request.method() + " not allowed; Fonnte webhooks use POST"));
    }
    if (request.bodyLength() > WebhookRequest.MAX_BODY_BYTES) {
      return WebhookResult.respond(WebhookResponse.status(413, "body larger than " + WebhookRequest.MAX_BODY_BYTES + " bytes"));
    }
    if (!ProviderSupport.sharedSecretMatches(request, secret)) {
      log.warn("fonnte webhook refused: shared secret missing or wrong");
      return WebhookResult.forbidden("missing or wrong webhook secret");
    }
    JsonNode root;
    try {
      root = JSON.readTree(request.body());
    } catch (java.io.IOException e) {
      return WebhookResult.respond(WebhookResponse.status(400, "body is not JSON"));
    }
    if (root == null || !root.isObject()) return WebhookResult.respond(WebhookResponse.status(400, "body is not a JSON object"));
    String id = root.path("id").isValueNode() ? root.path("id").asText("").strip() : "";
    String rawStatus = root.path("status").asText("");
    String rawState = root.path("state").asText("");
    DeliveryStatus status = further(map(rawStatus), map(rawState));
    if (id.isEmpty() || status == null) return new WebhookResult(WebhookResponse.ok(), List.of());
    String errorCode = null;
    String errorMessage = null;
    if (status == DeliveryStatus.FAILED) {
      String raw = map(rawState) == DeliveryStatus.FAILED ? rawState : rawStatus;
      errorCode = raw.strip().toLowerCase(Locale.ROOT);
      errorMessage = "Fonnte reported '" + (raw.length() > 100 ? raw.substring(0, 100) : raw) + "'";
    }
    return new WebhookResult(WebhookResponse.ok(), List.of(new WebhookEvent.StatusUpdate(id, status, clock.instant(), errorCode, errorMessage)));
  }

  /** Values seen in Fonnte's docs (send/status endpoints) plus the obvious delivery words; pending-like values report nothing. */
  static DeliveryStatus map(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "sent" -> DeliveryStatus.SENT;
      case "delivered" -> DeliveryStatus.DELIVERED;
      case "read" -> DeliveryStatus.READ;
      case "failed", "fail", "invalid", "expired", "url unreachable", "error" -> DeliveryStatus.FAILED;
      default -> null; // pending, waiting, processing, unknown
    };
  }

  private static DeliveryStatus further(DeliveryStatus a, DeliveryStatus b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
