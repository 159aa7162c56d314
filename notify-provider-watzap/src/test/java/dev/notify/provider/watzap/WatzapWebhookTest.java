package dev.notify.provider.watzap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.WebhookRequest;
import dev.notify.core.spi.WebhookEvent;
import dev.notify.core.spi.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatzapWebhookTest {
  static final String SECRET = "watzap-hook-secret";
  static final Instant NOW = Instant.parse("2025-06-25T10:00:00Z");

  private final WatzapProvider provider = WatzapProvider.builder().apiKey("a").numberKey("n").webhookSecret(SECRET)
      .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  @AfterEach
  void close() { provider.close(); }

  static WebhookRequest post(String secret, String body) {
    Map<String, List<String>> query = secret == null ? Map.of() : Map.of("secret", List.of(secret));
    return WebhookRequest.of("POST", query, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
  }

  static String incoming(String chatId, String text, String timestamp, boolean fromMe) {
    return "{\"type\":\"incoming_chat\",\"data\":{\"chat_id\":\"" + chatId + "\",\"message_id\":\"false_628_ABC\",\"name\":\"Budi\","
        + "\"timestamp\":" + timestamp + ",\"message_body\":\"" + text + "\",\"message_ack\":\"PENDING\",\"has_media\":false,"
        + "\"is_from_me\":" + fromMe + "}}";
  }

  @Test
  void incomingStop_isReportedAsInboundMessageFromThatNumber() {
    WebhookResult r = provider.handleWebhook(post(SECRET, incoming("6281234567893@c.us", "STOP", "1750857420", false)));

    assertThat(r.response().status()).isEqualTo(200);
    assertThat(r.events()).containsExactly(new WebhookEvent.InboundMessage("+6281234567893", "STOP", Instant.ofEpochSecond(1750857420)));
  }

  @Test
  void chatIdWithoutSuffixAndTimestampAsString_areAccepted() {
    WebhookResult r = provider.handleWebhook(post(SECRET, incoming("6281234567893", "berhenti", "\"1750857420\"", false)));

    assertThat(r.events()).containsExactly(new WebhookEvent.InboundMessage("+6281234567893", "berhenti", Instant.ofEpochSecond(1750857420)));
  }

  @Test
  void missingTimestamp_usesTheReceiveTime() {
    WebhookResult r = provider.handleWebhook(post(SECRET, incoming("6281234567893@c.us", "STOP", "null", false)));

    assertThat(((WebhookEvent.InboundMessage) r.events().get(0)).at()).isEqualTo(NOW);
  }

  @Test
  void ownMessages_andGroupChats_areNotReported() {
    assertThat(provider.handleWebhook(post(SECRET, incoming("6281234567893@c.us", "STOP", "1", true))).events()).isEmpty();
    assertThat(provider.handleWebhook(post(SECRET, incoming("120363@g.us", "STOP", "1", false))).events()).isEmpty();
  }

  @Test
  void otherEventTypes_areAnsweredWithoutEvents() {
    WebhookResult r = provider.handleWebhook(post(SECRET, "{\"type\":\"something_else\",\"data\":{}}"));

    assertThat(r.response().status()).isEqualTo(200);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void wrongSecret_is401WithNoEvents() {
    WebhookResult r = provider.handleWebhook(post("guess", incoming("6281234567893@c.us", "STOP", "1", false)));

    assertThat(r.response().status()).isEqualTo(401);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void missingSecret_is401WithNoEvents() {
    WebhookResult r = provider.handleWebhook(post(null, incoming("6281234567893@c.us", "STOP", "1", false)));

    assertThat(r.response().status()).isEqualTo(401);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void secretInHeader_isAccepted() {
    byte[] body = incoming("6281234567893@c.us", "STOP", "1", false).getBytes(StandardCharsets.UTF_8);

    assertThat(provider.handleWebhook(WebhookRequest.post(Map.of("X-Notify-Secret", SECRET), body)).events()).hasSize(1);
  }

  @Test
  void malformedJson_is400() {
    assertThat(provider.handleWebhook(post(SECRET, "{\"type\":")).response().status()).isEqualTo(400);
  }

  @Test
  void oversizedBody_is413() {
    assertThat(provider.handleWebhook(post(SECRET, "x".repeat(WebhookRequest.MAX_BODY_BYTES + 1))).response().status()).isEqualTo(413);
  }

  @Test
  void withoutConfiguredSecret_webhooksAre404SayingWhatToSet() {
    try (WatzapProvider p = WatzapProvider.builder().apiKey("a").numberKey("n").build()) {
      WebhookResult r = p.handleWebhook(post("x", incoming("6281234567893@c.us", "STOP", "1", false)));

      assertThat(r.response().status()).isEqualTo(404);
      assertThat(r.response().body()).contains("webhook-secret");
    }
  }
}
