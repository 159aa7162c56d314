package dev.notify.provider.fonnte;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.DeliveryStatus;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FonnteWebhookTest {
  static final String SECRET = "hook-secret-31";
  static final Instant NOW = Instant.parse("2025-06-25T10:00:00Z");

  private final FonnteProvider provider = FonnteProvider.builder().token("t").webhookSecret(SECRET)
      .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  @AfterEach
  void close() { provider.close(); }

  static WebhookRequest post(String secret, String body) {
    Map<String, List<String>> query = secret == null ? Map.of() : Map.of("secret", List.of(secret));
    return WebhookRequest.of("POST", query, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void statusCallbackWithSecretInQuery_reportsTheStatusByFonnteId() {
    WebhookResult r = provider.handleWebhook(post(SECRET,
        "{\"device\":\"6285885529352\",\"id\":\"142223099\",\"stateid\":\"abc\",\"status\":\"sent\",\"state\":\"delivered\"}"));

    assertThat(r.response().status()).isEqualTo(200);
    assertThat(r.events()).containsExactly(new WebhookEvent.StatusUpdate("142223099", DeliveryStatus.DELIVERED, NOW, null, null));
  }

  @Test
  void secretInHeader_isAcceptedToo() {
    byte[] body = "{\"id\":142223099,\"status\":\"read\"}".getBytes(StandardCharsets.UTF_8);
    WebhookResult r = provider.handleWebhook(WebhookRequest.post(Map.of("X-Notify-Secret", SECRET), body));

    assertThat(r.events()).containsExactly(new WebhookEvent.StatusUpdate("142223099", DeliveryStatus.READ, NOW, null, null));
  }

  @ParameterizedTest(name = "status ''{0}'' state ''{1}'' -> {2}")
  @CsvSource(value = {
      "sent,NULL,SENT", "NULL,delivered,DELIVERED", "sent,read,READ", "Delivered,NULL,DELIVERED",
      "invalid,NULL,FAILED", "expired,NULL,FAILED", "failed,NULL,FAILED", "url unreachable,NULL,FAILED"}, nullValues = "NULL")
  void statusAndStateValues_mapToDeliveryStatuses(String status, String state, DeliveryStatus expected) {
    String body = "{\"id\":\"7\"" + (status == null ? "" : ",\"status\":\"" + status + "\"") + (state == null ? "" : ",\"state\":\"" + state + "\"") + "}";

    List<WebhookEvent> events = provider.handleWebhook(post(SECRET, body)).events();

    assertThat(events).singleElement().extracting(e -> ((WebhookEvent.StatusUpdate) e).status()).isEqualTo(expected);
  }

  @Test
  void failedStatus_carriesTheRawValueAsErrorCode() {
    WebhookEvent.StatusUpdate e = (WebhookEvent.StatusUpdate) provider.handleWebhook(post(SECRET, "{\"id\":\"7\",\"status\":\"expired\"}")).events().get(0);

    assertThat(e.errorCode()).isEqualTo("expired");
    assertThat(e.errorMessage()).isEqualTo("Fonnte reported 'expired'");
  }

  @ParameterizedTest
  @CsvSource({"pending", "waiting", "processing", "something-new"})
  void pendingOrUnknownValues_reportNothing(String status) {
    WebhookResult r = provider.handleWebhook(post(SECRET, "{\"id\":\"7\",\"status\":\"" + status + "\"}"));

    assertThat(r.response().status()).isEqualTo(200);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void callbackWithoutId_reportsNothing() {
    assertThat(provider.handleWebhook(post(SECRET, "{\"status\":\"sent\"}")).events()).isEmpty();
  }

  @Test
  void wrongSecret_is401WithNoEvents() {
    WebhookResult r = provider.handleWebhook(post("guess", "{\"id\":\"7\",\"status\":\"sent\"}"));

    assertThat(r.response().status()).isEqualTo(401);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void missingSecret_is401WithNoEvents() {
    WebhookResult r = provider.handleWebhook(post(null, "{\"id\":\"7\",\"status\":\"sent\"}"));

    assertThat(r.response().status()).isEqualTo(401);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void malformedJson_is400() {
    assertThat(provider.handleWebhook(post(SECRET, "{\"id\":")).response().status()).isEqualTo(400);
  }

  @Test
  void oversizedBody_is413() {
    String big = "{\"id\":\"" + "x".repeat(WebhookRequest.MAX_BODY_BYTES) + "\"}";

    assertThat(provider.handleWebhook(post(SECRET, big)).response().status()).isEqualTo(413);
  }

  @Test
  void withoutConfiguredSecret_webhooksAre404SayingWhatToSet() {
    try (FonnteProvider p = FonnteProvider.builder().token("t").build()) {
      WebhookResult r = p.handleWebhook(post("anything", "{\"id\":\"7\",\"status\":\"sent\"}"));

      assertThat(r.response().status()).isEqualTo(404);
      assertThat(r.response().body()).contains("webhook-secret");
      assertThat(r.events()).isEmpty();
    }
  }

  @Test
  void getRequest_is405() {
    assertThat(provider.handleWebhook(WebhookRequest.get(Map.of("secret", List.of(SECRET)))).response().status()).isEqualTo(405);
  }
}
