package dev.notify.provider.meta.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.WebhookRequest;
import dev.notify.core.WebhookResponse;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.WebhookEvent;
import dev.notify.core.spi.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta's webhook: GET subscription verification and signed POST notifications (statuses and inbound
 * messages). Nothing is reported unless the {@code X-Hub-Signature-256} HMAC over the raw body matches.
 */
public final class MetaWebhooks {
  private static final Logger log = LoggerFactory.getLogger(MetaWebhooks.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
  private static final String PREFIX = "sha256=";

  private final byte[] appSecret;      // null: POST notifications refused
  private final String verifyToken;    // null: GET verification refused
  private final Clock clock;

  public MetaWebhooks(String appSecret, String verifyToken, Clock clock) {
    this.appSecret = appSecret == null ? null : appSecret.getBytes(StandardCharsets.UTF_8);
    this.verifyToken = verifyToken;
    this.clock = clock;
  }

  public WebhookResult handle(WebhookRequest request) {
    if (request.bodyLength() > WebhookRequest.MAX_BODY_BYTES) {
      return WebhookResult.respond(WebhookResponse.status(413, "body larger than " + WebhookRequest.MAX_BODY_BYTES + " bytes"));
    }
    return switch (request.method()) {
      case "GET" -> verify(request);
      case "POST" -> notification(request);
      default -> WebhookResult.respond(WebhookResponse.status(405, "method " + request.method() + " not allowed; Meta webhooks use GET and POST"));
    };
  }

  private WebhookResult verify(WebhookRequest request) {
    if (verifyToken == null) {
      return WebhookResult.respond(WebhookResponse.status(404,
          "meta webhook verification is disabled: set 'verify-token' (notify.meta.verify-token or NOTIFY_META_VERIFY_TOKEN)"));
    }
    String mode = request.queryParam("hub.mode").orElse("");
    String token = request.queryParam("hub.verify_token").orElse("");
    if (!"subscribe".equals(mode) || !ProviderSupport.secretMatches(verifyToken, token)) {
      log.warn("meta webhook verification refused (hub.mode subscribe: {}, verify token {})", "subscribe".equals(mode),
          token.isEmpty() ? "missing" : "given");
      return WebhookResult.respond(WebhookResponse.status(403, "verification refused"));
    }
    String challenge = request.queryParam("hub.challenge").orElse("");
    if (challenge.isEmpty()) return WebhookResult.respond(WebhookResponse.status(400, "hub.challenge is missing"));
    return WebhookResult.respond(WebhookResponse.ok(challenge));
  }

  private WebhookResult notification(WebhookRequest request) {
    if (appSecret == null) {
      return WebhookResult.respond(WebhookResponse.status(404,
          "meta webhook notifications are disabled: set 'app-secret' (notify.meta.app-secret or NOTIFY_META_APP_SECRET)"));
    }
    String header = request.header(SIGNATURE_HEADER).orElse(null);
    if (header == null || header.isBlank()) {
      log.warn("meta webhook refused: no {} header", SIGNATURE_HEADER);
      return WebhookResult.forbidden("missing " + SIGNATURE_HEADER);
    }
    byte[] body = request.body();
    if (!signatureMatches(header.trim(), body)) {
      log.warn("meta webhook refused: {} does not match the body", SIGNATURE_HEADER);
      return WebhookResult.forbidden("invalid " + SIGNATURE_HEADER);
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return WebhookResult.respond(WebhookResponse.status(400, "body is not JSON"));
    }
    if (root == null || !root.isObject()) return WebhookResult.respond(WebhookResponse.status(400, "body is not a JSON object"));
    List<WebhookEvent> events = new ArrayList<>();
    for (JsonNode entry : root.path("entry")) {
      for (JsonNode change : entry.path("changes")) {
        JsonNode value = change.path("value");
        for (JsonNode s : value.path("statuses")) status(s, events);
        for (JsonNode m : value.path("messages")) inbound(m, events);
      }
    }
    return new WebhookResult(WebhookResponse.ok(), events);
  }

  private boolean signatureMatches(String header, byte[] body) {
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) return false;
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()).toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(body), given);
  }

  private byte[] hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(appSecret, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private void status(JsonNode s, List<WebhookEvent> events) {
    String id = s.path("id").asText("");
    DeliveryStatus status = switch (s.path("status").asText("").toLowerCase(Locale.ROOT)) {
      case "sent" -> DeliveryStatus.SENT;
      case "delivered" -> DeliveryStatus.DELIVERED;
      case "read" -> DeliveryStatus.READ;
      case "failed" -> DeliveryStatus.FAILED;
      default -> null;
    };
    if (id.isBlank() || status == null) return;
    String code = null;
    String message = null;
    JsonNode error = s.path("errors").path(0);
    if (status == DeliveryStatus.FAILED && error.isObject()) {
      code = error.path("code").isMissingNode() ? null : error.path("code").asText();
      message = error.hasNonNull("title") ? error.path("title").asText() : error.path("message").asText(null);
    }
    events.add(new WebhookEvent.StatusUpdate(id, status, time(s.path("timestamp")), code, message));
  }

  private void inbound(JsonNode m, List<WebhookEvent> events) {
    // a tap on a quick-reply or interactive button counts as its text: before, only typed text was read, and an
    // opt-out button was dropped
    String text = switch (m.path("type").asText()) {
      case "text" -> m.path("text").path("body").asText("");
      case "button" -> m.path("button").path("text").asText(m.path("button").path("payload").asText(""));
      case "interactive" -> m.path("interactive").path("button_reply").path("title")
          .asText(m.path("interactive").path("list_reply").path("title").asText(""));
      default -> null;
    };
    if (text == null) return;
    String from = m.path("from").asText("").replaceAll("\\D", "");
    if (from.isEmpty()) return;
    events.add(new WebhookEvent.InboundMessage("+" + from, text, time(m.path("timestamp"))));
  }

  /** Epoch seconds as a string (or a number); the current time when absent or unreadable. */
  private Instant time(JsonNode ts) {
    String v = ts.asText("");
    if (v.matches("\\d{1,12}")) return Instant.ofEpochSecond(Long.parseLong(v));
    return clock.instant();
  }
}
