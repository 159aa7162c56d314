package dev.notify.provider.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.DeliveryStatus;
import dev.notify.core.WebhookRequest;
import dev.notify.core.WebhookResponse;
import dev.notify.core.spi.WebhookEvent;
import dev.notify.core.spi.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetaWebhookTest {
  static final String APP_SECRET = "app-secret-4f1c";
  static final String VERIFY_TOKEN = "verify-me-77";
  static final Instant NOW = Instant.parse("2025-06-25T10:00:00Z");

  private final MetaProvider provider = MetaProvider.builder().token("t").phoneNumberId("1").appSecret(APP_SECRET)
      .verifyToken(VERIFY_TOKEN).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  @AfterEach
  void close() { provider.close(); }

  static final String STATUSES_AND_STOP = """
      {"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"field":"messages","value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100","phone_number_id":"1"},
        "statuses":[
          {"id":"wamid.A","status":"sent","timestamp":"1750857384","recipient_id":"6281234567890"},
          {"id":"wamid.A","status":"delivered","timestamp":"1750857390","recipient_id":"6281234567890"},
          {"id":"wamid.B","status":"read","timestamp":"1750857400","recipient_id":"6281234567891"},
          {"id":"wamid.C","status":"failed","timestamp":"1750857410","recipient_id":"6281234567892",
           "errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message",
                      "error_data":{"details":"more than 24 hours"},"href":"https://developers.facebook.com"}]}
        ],
        "messages":[{"from":"6281234567893","id":"wamid.IN","timestamp":"1750857420","type":"text","text":{"body":"STOP"}}]
      }}]}]}
      """;

  static String sign(byte[] body, String secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  static WebhookRequest signedPost(String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return WebhookRequest.post(Map.of("X-Hub-Signature-256", sign(bytes, APP_SECRET), "Content-Type", "application/json"), bytes);
  }

  static WebhookRequest verification(String mode, String token, String challenge) {
    return WebhookRequest.get(Map.of("hub.mode", List.of(mode), "hub.verify_token", List.of(token), "hub.challenge", List.of(challenge)));
  }

  @Test
  void verification_withSubscribeAndMatchingToken_answersTheChallengeAsPlainText() {
    WebhookResult r = provider.handleWebhook(verification("subscribe", VERIFY_TOKEN, "1158201444"));

    assertThat(r.response()).isEqualTo(new WebhookResponse(200, "text/plain; charset=utf-8", "1158201444"));
    assertThat(r.events()).isEmpty();
  }

  @Test
  void verification_withWrongToken_is403WithoutTheChallenge() {
    WebhookResult r = provider.handleWebhook(verification("subscribe", "guess", "1158201444"));

    assertThat(r.response().status()).isEqualTo(403);
    assertThat(r.response().body()).doesNotContain("1158201444");
  }

  @Test
  void verification_withOtherMode_is403() {
    assertThat(provider.handleWebhook(verification("unsubscribe", VERIFY_TOKEN, "1")).response().status()).isEqualTo(403);
  }

  @Test
  void verification_withoutParameters_is403() {
    assertThat(provider.handleWebhook(WebhookRequest.get(Map.of())).response().status()).isEqualTo(403);
  }

  @Test
  void verification_withoutConfiguredVerifyToken_is404SayingWhatToSet() {
    try (MetaProvider p = MetaProvider.builder().token("t").phoneNumberId("1").appSecret(APP_SECRET).build()) {
      WebhookResult r = p.handleWebhook(verification("subscribe", "", "1"));

      assertThat(r.response().status()).isEqualTo(404);
      assertThat(r.response().body()).contains("verify-token");
    }
  }

  @Test
  void signedNotification_reportsEachStatusWithItsTimeAndTheInboundStop() throws Exception {
    WebhookResult r = provider.handleWebhook(signedPost(STATUSES_AND_STOP));

    assertThat(r.response().status()).isEqualTo(200);
    assertThat(r.events()).containsExactly(
        new WebhookEvent.StatusUpdate("wamid.A", DeliveryStatus.SENT, Instant.ofEpochSecond(1750857384), null, null),
        new WebhookEvent.StatusUpdate("wamid.A", DeliveryStatus.DELIVERED, Instant.ofEpochSecond(1750857390), null, null),
        new WebhookEvent.StatusUpdate("wamid.B", DeliveryStatus.READ, Instant.ofEpochSecond(1750857400), null, null),
        new WebhookEvent.StatusUpdate("wamid.C", DeliveryStatus.FAILED, Instant.ofEpochSecond(1750857410), "131047", "Re-engagement message"),
        new WebhookEvent.InboundMessage("+6281234567893", "STOP", Instant.ofEpochSecond(1750857420)));
  }

  @Test
  void signatureHeaderInUpperCaseHex_isAccepted() throws Exception {
    byte[] body = STATUSES_AND_STOP.getBytes(StandardCharsets.UTF_8);
    String sig = sign(body, APP_SECRET);
    WebhookRequest request = WebhookRequest.post(Map.of("x-hub-signature-256", "sha256=" + sig.substring(7).toUpperCase()), body);

    assertThat(provider.handleWebhook(request).events()).hasSize(5);
  }

  @Test
  void unknownStatusValue_andStatusWithoutTimestamp_areHandledDefensively() throws Exception {
    String body = """
        {"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"statuses":[
          {"id":"wamid.D","status":"deleted","timestamp":"1750857384"},
          {"id":"wamid.E","status":"delivered"}]}}]}]}
        """;

    assertThat(provider.handleWebhook(signedPost(body)).events())
        .containsExactly(new WebhookEvent.StatusUpdate("wamid.E", DeliveryStatus.DELIVERED, NOW, null, null));
  }

  @Test
  void nonTextInboundMessage_isNotReported() throws Exception {
    String body = """
        {"entry":[{"changes":[{"value":{"messages":[
          {"from":"6281234567893","id":"wamid.IMG","timestamp":"1750857420","type":"image","image":{"id":"m1"}}]}}]}]}
        """;

    WebhookResult r = provider.handleWebhook(signedPost(body));

    assertThat(r.response().status()).isEqualTo(200);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void forgedSignature_is401WithNoEvents() throws Exception {
    byte[] body = STATUSES_AND_STOP.getBytes(StandardCharsets.UTF_8);
    WebhookRequest request = WebhookRequest.post(Map.of("X-Hub-Signature-256", sign(body, "not-the-app-secret")), body);

    WebhookResult r = provider.handleWebhook(request);

    assertThat(r.response().status()).isEqualTo(401);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void unsignedNotification_is401WithNoEvents() {
    WebhookResult r = provider.handleWebhook(WebhookRequest.post(Map.of(), STATUSES_AND_STOP.getBytes(StandardCharsets.UTF_8)));

    assertThat(r.response().status()).isEqualTo(401);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void tamperedBody_is401WithNoEvents() throws Exception {
    byte[] body = STATUSES_AND_STOP.getBytes(StandardCharsets.UTF_8);
    String signature = sign(body, APP_SECRET);
    byte[] tampered = STATUSES_AND_STOP.replace("\"STOP\"", "\"STAY\"").getBytes(StandardCharsets.UTF_8);

    WebhookResult r = provider.handleWebhook(WebhookRequest.post(Map.of("X-Hub-Signature-256", signature), tampered));

    assertThat(r.response().status()).isEqualTo(401);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void signatureWithoutSha256Prefix_orNotHex_is401() throws Exception {
    byte[] body = STATUSES_AND_STOP.getBytes(StandardCharsets.UTF_8);
    String bare = sign(body, APP_SECRET).substring("sha256=".length());

    assertThat(provider.handleWebhook(WebhookRequest.post(Map.of("X-Hub-Signature-256", bare), body)).response().status()).isEqualTo(401);
    assertThat(provider.handleWebhook(WebhookRequest.post(Map.of("X-Hub-Signature-256", "sha256=zz"), body)).response().status()).isEqualTo(401);
  }

  @Test
  void malformedJsonWithValidSignature_is400WithNoEvents() throws Exception {
    WebhookResult r = provider.handleWebhook(signedPost("{\"entry\":[{\"changes\":"));

    assertThat(r.response().status()).isEqualTo(400);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void oversizedBody_is413WithNoEvents() throws Exception {
    byte[] big = new byte[WebhookRequest.MAX_BODY_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    WebhookResult r = provider.handleWebhook(WebhookRequest.post(Map.of("X-Hub-Signature-256", sign(big, APP_SECRET)), big));

    assertThat(r.response().status()).isEqualTo(413);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void notificationWithoutConfiguredAppSecret_is404SayingWhatToSet() throws Exception {
    try (MetaProvider p = MetaProvider.builder().token("t").phoneNumberId("1").build()) {
      WebhookResult r = p.handleWebhook(signedPost(STATUSES_AND_STOP));

      assertThat(r.response().status()).isEqualTo(404);
      assertThat(r.response().body()).contains("app-secret");
      assertThat(r.events()).isEmpty();
    }
  }

  @Test
  void otherMethod_is405() {
    assertThat(provider.handleWebhook(WebhookRequest.of("PUT", Map.of(), Map.of(), new byte[0])).response().status()).isEqualTo(405);
  }

  /** Before, only typed text was read: a tap on an opt-out button was dropped. */
  @Test
  void buttonAndInteractiveReplies_areInboundMessagesWithTheirText() throws Exception {
    String body = """
        {"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100","phone_number_id":"1"},
          "messages":[
            {"from":"6281234567893","id":"wamid.B1","timestamp":"1750857420","type":"button","button":{"text":"Stop","payload":"STOP"}},
            {"from":"6281234567894","id":"wamid.B2","timestamp":"1750857421","type":"interactive",
             "interactive":{"type":"button_reply","button_reply":{"id":"b1","title":"Berhenti"}}},
            {"from":"6281234567895","id":"wamid.B3","timestamp":"1750857422","type":"image","image":{"id":"m1"}}
          ]
        }}]}]}
        """;

    WebhookResult r = provider.handleWebhook(signedPost(body));

    assertThat(r.events()).containsExactly(
        new WebhookEvent.InboundMessage("+6281234567893", "Stop", Instant.ofEpochSecond(1750857420)),
        new WebhookEvent.InboundMessage("+6281234567894", "Berhenti", Instant.ofEpochSecond(1750857421)));
  }
}
