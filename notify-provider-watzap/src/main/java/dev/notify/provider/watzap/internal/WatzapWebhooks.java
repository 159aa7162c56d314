package dev.notify.provider.watzap.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.WebhookRequest;
import dev.notify.core.WebhookResponse;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.WebhookEvent;
import dev.notify.core.spi.WebhookResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watzap's webhook reports incoming chats only ({@code type: incoming_chat}); there is no delivery
 * status. Callbacks must carry the shared secret (Watzap documents no signature).
 */
public final class WatzapWebhooks {
  private static final Logger log = LoggerFactory.getLogger(WatzapWebhooks.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String secret; // null: webhooks disabled
  private final Clock clock;

  public WatzapWebhooks(String webhookSecret, Clock clock) {
    this.secret = webhookSecret;
    this.clock = clock;
  }

  public WebhookResult handle(WebhookRequest request) {
    if (secret == null) {
      return WebhookResult.respond(WebhookResponse.status(404, "watzap webhooks are disabled: set 'webhook-secret' "
          + "(notify.watzap.webhook-secret or NOTIFY_WATZAP_WEBHOOK_SECRET) and add ?secret=<it> to the webhook URL"));
    }
    if (!request.method().equals("POST")) {
      return WebhookResult.respond(WebhookResponse.status(405, "method " + request.method() + " not allowed; Watzap webhooks use POST"));
    }
    if (request.bodyLength() > WebhookRequest.MAX_BODY_BYTES) {
      return WebhookResult.respond(WebhookResponse.status(413, "body larger than " + WebhookRequest.MAX_BODY_BYTES + " bytes"));
    }
    if (!ProviderSupport.sharedSecretMatches(request, secret)) {
      log.warn("watzap webhook refused: shared secret missing or wrong");
      return WebhookResult.forbidden("missing or wrong webhook secret");
    }
    JsonNode root;
    try {
      root = JSON.readTree(request.body());
    } catch (java.io.IOException e) {
      return WebhookResult.respond(WebhookResponse.status(400, "body is not JSON"));
    }
    if (root == null || !root.isObject()) return WebhookResult.respond(WebhookResponse.status(400, "body is not a JSON object"));
    if (!"incoming_chat".equals(root.path("type").asText())) return new WebhookResult(WebhookResponse.ok(), List.of());
    JsonNode data = root.path("data");
    String chatId = data.path("chat_id").asText("");
    if (isTrue(data.path("is_from_me")) || chatId.contains("@g.us")) return new WebhookResult(WebhookResponse.ok(), List.of());
    String digits = (chatId.contains("@") ? chatId.substring(0, chatId.indexOf('@')) : chatId).replaceAll("\\D", "");
    if (digits.isEmpty()) return new WebhookResult(WebhookResponse.ok(), List.of());
    WebhookEvent event = new WebhookEvent.InboundMessage("+" + digits, data.path("message_body").asText(""), time(data.path("timestamp")));
    return new WebhookResult(WebhookResponse.ok(), List.of(event));
  }

  private static boolean isTrue(JsonNode n) {
    return n.asBoolean(false) || "1".equals(n.asText()) || "true".equalsIgnoreCase(n.asText());
  }

  /** Epoch seconds (or milliseconds when it has 13 digits), as a number or string; otherwise the receive time. */
  private Instant time(JsonNode ts) {
    String v = ts.asText("").strip();
    if (v.matches("\\d{1,11}")) return Instant.ofEpochSecond(Long.parseLong(v));
    if (v.matches("\\d{12,14}")) return Instant.ofEpochMilli(Long.parseLong(v));
    return clock.instant();
  }
}
