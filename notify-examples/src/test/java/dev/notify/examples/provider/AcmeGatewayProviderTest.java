package dev.notify.examples.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.DeliveryStatus;
import dev.notify.core.InMemoryStore;
import dev.notify.core.NotificationEngine;
import dev.notify.core.ProviderConfigurationException;
import dev.notify.core.WebhookRequest;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcmeGatewayProviderTest {
  private final MockWebServer acme = new MockWebServer();
  private AcmeGatewayProvider provider;

  @BeforeEach
  void start() throws Exception {
    acme.start();
    provider = new AcmeGatewayProvider(acme.url("/").toString(), "secret-token", "hook-secret", Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
    acme.shutdown();
  }

  private static OutboundMessage message() {
    return new OutboundMessage("entry-1", "+6281234567890", "Budi", "Izin Anda telah terbit.", "permit_ready", null, Map.of(), 1);
  }

  @Test
  void accepted_postsJsonWithBearerTokenAndIdempotencyKey_andReturnsTheGatewaysId() throws Exception {
    acme.enqueue(new MockResponse().setBody("{\"id\":\"acme-42\"}"));

    SendResult r = provider.send(message());

    assertThat(r).isEqualTo(SendResult.accepted("acme-42"));
    RecordedRequest req = acme.takeRequest();
    assertThat(req.getPath()).isEqualTo("/messages");
    assertThat(req.getHeader("Authorization")).isEqualTo("Bearer secret-token");
    assertThat(req.getHeader("Idempotency-Key")).isEqualTo("entry-1");
    assertThat(req.getBody().readUtf8()).contains("\"to\":\"6281234567890\"").contains("\"text\":\"Izin Anda telah terbit.\"");
  }

  @Test
  void invalidNumber_isPermanent() {
    acme.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\":\"invalid_number\"}"));

    assertThat(provider.send(message())).isEqualTo(SendResult.permanent("invalid_number", "Acme: not a WhatsApp number"));
  }

  @Test
  void badToken_isPermanent_andTheTokenIsNotInTheResult() {
    acme.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":\"bad token secret-token\"}"));

    SendResult r = provider.send(message());

    assertThat(r).isInstanceOf(SendResult.Permanent.class);
    assertThat(r.toString()).doesNotContain("secret-token");
  }

  @Test
  void throttled_isRetryableAfterTheGatewaysRetryAfter() {
    acme.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "30"));

    assertThat(provider.send(message())).isEqualTo(SendResult.retryable("http_429", "Acme is throttling", Duration.ofSeconds(30)));
  }

  @Test
  void serverErrorAndTimeout_areRetryable() {
    acme.enqueue(new MockResponse().setResponseCode(503));
    acme.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    assertThat(provider.send(message())).isInstanceOfSatisfying(SendResult.Retryable.class, r -> assertThat(r.code()).isEqualTo("http_503"));
    assertThat(provider.send(message())).isInstanceOfSatisfying(SendResult.Retryable.class, r -> assertThat(r.code()).isEqualTo("timeout"));
  }

  @Test
  void statusWebhook_withTheSecret_reportsTheStatus_andWithoutItIs401() {
    byte[] body = "{\"id\":\"acme-42\",\"status\":\"delivered\"}".getBytes(StandardCharsets.UTF_8);

    var ok = provider.handleWebhook(WebhookRequest.post(Map.of("X-Acme-Secret", "hook-secret"), body));
    var forged = provider.handleWebhook(WebhookRequest.post(Map.of("X-Acme-Secret", "guess"), body));

    assertThat(ok.response().status()).isEqualTo(200);
    assertThat(ok.events()).singleElement().isInstanceOfSatisfying(WebhookEvent.StatusUpdate.class, s -> {
      assertThat(s.externalId()).isEqualTo("acme-42");
      assertThat(s.status()).isEqualTo(DeliveryStatus.DELIVERED);
    });
    assertThat(forged.response().status()).isEqualTo(401);
    assertThat(forged.events()).isEmpty();
  }

  @Test
  void factory_isFoundByServiceLoader_andReadsItsSettingsFromTheEnvironment() {
    acme.enqueue(new MockResponse().setBody("{\"id\":\"acme-1\"}"));
    Map<String, String> env = Map.of("NOTIFY_ACME_TOKEN", "env-token", "NOTIFY_ACME_BASE_URL", acme.url("/").toString());
    try (NotificationEngine engine = NotificationEngine.builder().store(InMemoryStore.create()).provider("acme")
        .environment(env::get).backgroundDispatch(false).backgroundJobs(false)
        .template(dev.notify.core.MessageTemplate.of("hello", "Halo {{name}}")).build().start()) {

      SendResult r = engine.testSend("hello", "0812-3456-7890", Map.of("name", "Budi"));

      assertThat(r).isEqualTo(SendResult.accepted("acme-1"));
    }
  }

  @Test
  void factory_withoutAToken_failsNamingTheSettingAndItsVariable() {
    assertThatThrownBy(() -> NotificationEngine.builder().provider("acme").environment(k -> null).build())
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageContaining("'token'").hasMessageContaining("NOTIFY_ACME_TOKEN");
  }
}
