package dev.notify.examples.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.DeliveryStatus;
import dev.notify.core.InMemoryStore;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.QueueEntry;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Recipients;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookServerTest {
  private static final String APP_SECRET = "test-app-secret";
  private final HttpClient http = HttpClient.newHttpClient();
  private NotificationEngine engine;
  private WebhookServer server;
  private MockWebServer graphApi;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) server.close();
    if (engine != null) engine.close();
    if (graphApi != null) graphApi.shutdown();
  }

  private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void startWith(NotificationEngine.Builder builder) throws Exception {
    engine = builder.store(InMemoryStore.create()).backgroundDispatch(false).backgroundJobs(false)
        .environment(k -> null).build().start();
    server = WebhookServer.start(engine, new InetSocketAddress("127.0.0.1", 0));
  }

  @Test
  void postToAProviderWithoutWebhooks_isAnsweredWithTheEngines404() throws Exception {
    startWith(NotificationEngine.builder().provider(new RecordingProvider()));

    HttpResponse<String> r = post("/webhooks/recording", Map.of("Content-Type", "application/json"), "{}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("provider 'recording' has no webhooks");
  }

  /** Before, the 500 was written after the exchange was closed: the caller got no answer at all. */
  @Test
  void aFailureInsideTheHandler_isAnswered500() throws Exception {
    startWith(NotificationEngine.builder().provider(new dev.notify.core.spi.WhatsAppProvider() {
      @Override public String id() { return "broken"; }
      @Override public dev.notify.core.spi.SendResult send(dev.notify.core.spi.OutboundMessage m) { return null; }
      @Override public dev.notify.core.spi.WebhookResult handleWebhook(dev.notify.core.WebhookRequest request) { return null; }
    }));

    HttpResponse<String> r = post("/webhooks/broken", Map.of("Content-Type", "application/json"), "{}");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("internal error");
  }

  /** Before, a callback arriving while the engine was closed (a shutdown, a redeploy) was answered 500 and logged. */
  @Test
  void callbackWhileTheEngineIsClosed_is503SoTheProviderSendsItAgain() throws Exception {
    startWith(NotificationEngine.builder().provider(new RecordingProvider()));
    engine.close();

    HttpResponse<String> r = post("/webhooks/recording", Map.of("Content-Type", "application/json"), "{}");

    assertThat(r.statusCode()).isEqualTo(503);
  }

  @Test
  void postToAnUnknownProvider_is404NamingIt() throws Exception {
    startWith(NotificationEngine.builder().provider(new RecordingProvider()));

    HttpResponse<String> r = post("/webhooks/nosuch", Map.of(), "{}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("unknown provider 'nosuch'");
  }

  @Test
  void pathOutsideWebhooks_is404() throws Exception {
    startWith(NotificationEngine.builder().provider(new RecordingProvider()));

    HttpResponse<String> r = post("/admin", Map.of(), "{}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("/webhooks/{provider}");
  }

  @Test
  void signedMetaStatusCallback_is200AndMovesTheEntrysDeliveryStatus() throws Exception {
    QueueEntry sent = sendOneThroughMeta();

    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"messaging_product\":\"whatsapp\",\"statuses\":[{\"id\":\"wamid.DEMO1\",\"status\":\"delivered\","
        + "\"timestamp\":\"1780290000\",\"recipient_id\":\"6281234567890\"}]}}]}]}";
    HttpResponse<String> r = post("/webhooks/meta", Map.of("Content-Type", "application/json",
        "X-Hub-Signature-256", sign(body)), body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(engine.store().findEntry(sent.id())).hasValueSatisfying(e ->
        assertThat(e.deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED));
  }

  @Test
  void metaStatusCallbackWithAForgedSignature_is401AndChangesNothing() throws Exception {
    QueueEntry sent = sendOneThroughMeta();

    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W\",\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"statuses\":[{\"id\":\"wamid.DEMO1\",\"status\":\"read\",\"timestamp\":\"1780290000\"}]}}]}]}";
    HttpResponse<String> r = post("/webhooks/meta", Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64)), body);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(engine.store().findEntry(sent.id())).hasValueSatisfying(e ->
        assertThat(e.deliveryStatus()).isEqualTo(DeliveryStatus.NONE));
  }

  @Test
  void metaVerificationGet_echoesTheChallenge() throws Exception {
    graphApi = new MockWebServer();
    startWith(metaBuilder());

    HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.baseUri().resolve(
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42424242")).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("42424242");
  }

  /** Sends one message through the Meta provider against a stand-in Graph API; returns the SENT entry. */
  private QueueEntry sendOneThroughMeta() throws Exception {
    graphApi = new MockWebServer();
    graphApi.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.DEMO1\"}]}"));
    startWith(metaBuilder()
        .template(MessageTemplate.of("permit_ready", "Yth. {{name}}, izin Anda telah terbit."))
        .trigger(Trigger.manual("permit_approved").build())
        .rule(Rule.builder("notify").trigger("permit_approved").recipients(Recipients.field("record.phone"))
            .context("name", "record.name").template("permit_ready").build()));
    engine.fire("permit_approved", Map.of("phone", "0812-3456-7890", "name", "Budi"), Map.of());
    engine.dispatchNow();
    List<QueueEntry> entries = engine.store().entries(null, 10);
    assertThat(entries).singleElement().satisfies(e -> assertThat(e.externalId()).isEqualTo("wamid.DEMO1"));
    return entries.get(0);
  }

  private NotificationEngine.Builder metaBuilder() {
    return NotificationEngine.builder().provider("meta")
        .providerSetting("meta", "token", "test-token")
        .providerSetting("meta", "phone-number-id", "1234567890")
        .providerSetting("meta", "app-secret", APP_SECRET)
        .providerSetting("meta", "verify-token", "verify-me")
        .providerSetting("meta", "base-url", graphApi.url("/").toString());
  }

  private static String sign(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
