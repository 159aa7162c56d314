package dev.notify.provider.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.TemplateMapping;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetaProviderSendTest {
  static final String TOKEN = "EAAG-secret-token-123";
  static final Instant NOW = Instant.parse("2025-06-25T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private MetaProvider provider;

  @BeforeEach
  void start() throws IOException {
    server.start();
    provider = builder().build();
  }

  @AfterEach
  void stop() throws IOException {
    provider.close();
    server.shutdown();
  }

  private MetaProvider.Builder builder() {
    return MetaProvider.builder().token(TOKEN).phoneNumberId("1234567890").apiVersion("v21.0")
        .baseUrl(server.url("/").toString()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .readTimeout(Duration.ofMillis(500)).maxRetryAfter(Duration.ofMinutes(10));
  }

  static OutboundMessage text(String body) {
    return new OutboundMessage("e1", "+6281234567890", "Budi", body, "permit_ready", null, Map.of(), 1);
  }

  static OutboundMessage attempt(int n) {
    return new OutboundMessage("e1", "+6281234567890", "Budi", "Hi", "permit_ready", null, Map.of(), n);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  static String error(int code, String message) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
        + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"details for " + code + "\"},\"fbtrace_id\":\"Az8or2\"}}";
  }

  private static final String SUCCESS = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"6281234567890\",\"wa_id\":\"6281234567890\"}],"
      + "\"messages\":[{\"id\":\"wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABEYEjQ\"}]}";

  @Test
  void textMessage_postsExactCloudApiBodyWithBearerTokenToVersionedPath() throws Exception {
    server.enqueue(json(200, SUCCESS));

    provider.send(text("Izin 123 telah terbit"));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/v21.0/1234567890/messages");
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(JSON.readTree(r.getBody().readUtf8())).isEqualTo(JSON.readTree(
        "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"6281234567890\",\"type\":\"text\","
            + "\"text\":{\"preview_url\":false,\"body\":\"Izin 123 telah terbit\"}}"));
  }

  @Test
  void templateMapping_postsTemplateNameLanguageAndOrderedBodyParameters() throws Exception {
    server.enqueue(json(200, SUCCESS));
    TemplateMapping mapping = TemplateMapping.of("order_update", "id", "partner_name", "permit_number");
    OutboundMessage m = new OutboundMessage("e1", "+6281234567890", "Budi", "ignored", "permit_ready", mapping,
        Map.of("permit_number", "IZN-7", "partner_name", "Budi"), 1);

    provider.send(m);

    assertThat(JSON.readTree(server.takeRequest().getBody().readUtf8())).isEqualTo(JSON.readTree(
        "{\"messaging_product\":\"whatsapp\",\"to\":\"6281234567890\",\"type\":\"template\",\"template\":{\"name\":\"order_update\","
            + "\"language\":{\"code\":\"id\"},\"components\":[{\"type\":\"body\",\"parameters\":["
            + "{\"type\":\"text\",\"text\":\"Budi\"},{\"type\":\"text\",\"text\":\"IZN-7\"}]}]}}"));
  }

  @Test
  void templateWithoutBodyParameters_omitsComponents() throws Exception {
    server.enqueue(json(200, SUCCESS));
    OutboundMessage m = new OutboundMessage("e1", "+6281234567890", null, "x", "hello", TemplateMapping.of("hello_world", "en_US"), Map.of(), 1);

    provider.send(m);

    JsonNode body = JSON.readTree(server.takeRequest().getBody().readUtf8());
    assertThat(body.path("template").has("components")).isFalse();
    assertThat(body.path("template").path("name").asText()).isEqualTo("hello_world");
  }

  @Test
  void success_isAcceptedWithTheWamid() {
    server.enqueue(json(200, SUCCESS));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.accepted("wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABEYEjQ"));
  }

  @Test
  void templateSuccessHeldForQualityAssessment_isStillAccepted() {
    server.enqueue(json(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"62812\",\"wa_id\":\"62812\"}],"
        + "\"messages\":[{\"id\":\"wamid.X1\",\"message_status\":\"held_for_quality_assessment\"}]}"));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.accepted("wamid.X1"));
  }

  @ParameterizedTest(name = "code {0} with HTTP {1} is permanent")
  @CsvSource({"0,401", "190,401", "10,403", "200,403", "250,403", "299,403", "131026,400", "131047,400", "131048,400",
      "132000,400", "132001,400", "368,400"})
  void permanentErrorCodes_arePermanentWithTheCodeAndDetails(int code, int http) {
    server.enqueue(json(http, error(code, "(#" + code + ") problem")));

    SendResult r = provider.send(text("Hi"));

    assertThat(r).isInstanceOf(SendResult.Permanent.class);
    SendResult.Permanent p = (SendResult.Permanent) r;
    assertThat(p.code()).isEqualTo(Integer.toString(code));
    assertThat(p.message()).contains("(#" + code + ") problem").contains("details for " + code);
  }

  @ParameterizedTest(name = "code {0} with HTTP {1} is retryable")
  @CsvSource({"1,500", "2,503", "131000,500", "131057,400", "4,429", "4,400", "80007,400", "80007,429", "130429,400",
      "131056,400", "131049,400"})
  void retryableErrorCodes_areRetryableWithTheCode(int code, int http) {
    server.enqueue(json(http, error(code, "temporary")));

    SendResult r = provider.send(text("Hi"));

    assertThat(r).isInstanceOf(SendResult.Retryable.class);
    assertThat(((SendResult.Retryable) r).code()).isEqualTo(Integer.toString(code));
  }

  @Test
  void rateLimitCode_withRetryAfterHeader_waitsThatLong() {
    server.enqueue(json(400, error(130429, "(#130429) Rate limit hit")).setHeader("Retry-After", "30"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void pairRateLimit_withoutRetryAfter_hintsFourToTheAttemptSeconds() {
    server.enqueue(json(400, error(131056, "pair rate limit")));
    server.enqueue(json(400, error(131056, "pair rate limit")));

    assertThat(((SendResult.Retryable) provider.send(attempt(1))).retryAfter()).isEqualTo(Duration.ofSeconds(4));
    assertThat(((SendResult.Retryable) provider.send(attempt(2))).retryAfter()).isEqualTo(Duration.ofSeconds(16));
  }

  @Test
  void rateLimitBackoffHint_isCappedAtMaxRetryAfter() {
    server.enqueue(json(400, error(80007, "WABA rate limit")));

    assertThat(((SendResult.Retryable) provider.send(attempt(9))).retryAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void numberUnderMaintenance_hintsOneMinute() {
    server.enqueue(json(400, error(131057, "maintenance")));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).retryAfter()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void transientServiceError_leavesTheBackoffToTheEngine() {
    server.enqueue(json(500, error(2, "Service temporarily unavailable")));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).retryAfter()).isNull();
  }

  @Test
  void unknownErrorCode_onBadRequest_isRetryable() {
    server.enqueue(json(400, error(999999, "something new")));

    SendResult r = provider.send(text("Hi"));

    assertThat(r).isInstanceOf(SendResult.Retryable.class);
    assertThat(((SendResult.Retryable) r).code()).isEqualTo("999999");
  }

  @Test
  void unknownErrorCode_onForbidden_isPermanent() {
    server.enqueue(json(403, error(999999, "denied")));

    assertThat(provider.send(text("Hi"))).isInstanceOf(SendResult.Permanent.class);
  }

  @Test
  void errorCodeAsString_isClassifiedLikeANumber() {
    server.enqueue(json(400, "{\"error\":{\"message\":\"undeliverable\",\"code\":\"131026\"}}"));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.permanent("131026", "Meta error 131026 (HTTP 400): undeliverable"));
  }

  @Test
  void http429WithoutBody_isRetryableAfterRetryAfterSeconds() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "120"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("http_429");
    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void http429WithRetryAfterHttpDate_waitsUntilThatDate() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "Wed, 25 Jun 2025 10:01:30 GMT"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).retryAfter()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void http429WithRetryAfterDateInThePast_leavesTheBackoffToTheEngine() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "Wed, 25 Jun 2025 09:00:00 GMT"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).retryAfter()).isNull();
  }

  @Test
  void pairRateLimit_withRetryAfterZero_stillHintsTheGrowingBackoff() {
    server.enqueue(json(400, error(131056, "pair rate limit")).setHeader("Retry-After", "0"));

    assertThat(((SendResult.Retryable) provider.send(attempt(2))).retryAfter()).isEqualTo(Duration.ofSeconds(16));
  }

  @ParameterizedTest(name = "code {0} with HTTP {1} concerns this recipient only")
  @CsvSource({"131056,400", "131049,400"})
  void recipientLimits_doNotCountAgainstTheProvider(int code, int http) {
    server.enqueue(json(http, error(code, "not now")));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).recipientOnly()).isTrue();
  }

  @ParameterizedTest(name = "code {0} with HTTP {1} counts against the provider")
  @CsvSource({"130429,400", "80007,429", "4,400", "2,503", "999999,500", "131042,400", "999999,400"})
  void accountLimitsAndOutages_countAgainstTheProvider(int code, int http) {
    server.enqueue(json(http, error(code, "not now")));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).recipientOnly()).isFalse();
  }

  @Test
  void http429WithUnreadableRetryAfter_leavesTheBackoffToTheEngine() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "soon"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("http_429");
    assertThat(r.retryAfter()).isNull();
  }

  @Test
  void retryAfterLongerThanTheCap_isCut() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "86400"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).retryAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void http502WithHtmlProxyPage_isRetryableAndSaysItWasNotJson() {
    server.enqueue(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html")
        .setBody("<html><body><h1>502 Bad Gateway</h1></body></html>"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("http_502");
    assertThat(r.message()).contains("not JSON").contains("502 Bad Gateway");
  }

  @Test
  void http500WithEmptyBody_isRetryable() {
    server.enqueue(new MockResponse().setResponseCode(500));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("http_500");
    assertThat(r.message()).contains("empty body");
  }

  @Test
  void http200WithEmptyBody_isRetryableInvalidResponse() {
    server.enqueue(new MockResponse().setResponseCode(200));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("invalid_response");
  }

  @Test
  void http200WithGarbageJson_isRetryableInvalidResponse() {
    server.enqueue(json(200, "{\"messages\": [ {\"id\": "));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("invalid_response");
  }

  @Test
  void http401WithoutParsableBody_isPermanent() {
    server.enqueue(new MockResponse().setResponseCode(401).setBody("Unauthorized"));

    assertThat(provider.send(text("Hi"))).isInstanceOf(SendResult.Permanent.class)
        .extracting(x -> ((SendResult.Permanent) x).code()).isEqualTo("http_401");
  }

  @Test
  void http403WithHtmlBody_isPermanent() {
    server.enqueue(new MockResponse().setResponseCode(403).setBody("<html>Forbidden</html>"));

    assertThat(((SendResult.Permanent) provider.send(text("Hi"))).code()).isEqualTo("http_403");
  }

  @Test
  void unknownClientErrorWithoutBody_isRetryable() {
    server.enqueue(new MockResponse().setResponseCode(404));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("http_404");
  }

  @Test
  void noAnswerWithinReadTimeout_isRetryableTimeout() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("timeout");
  }

  @Test
  void answerTrickledSlowerThanTheCallTimeout_isRetryableTimeout() {
    provider.close();
    provider = builder().callTimeout(Duration.ofSeconds(1)).build();
    // 1 KiB every 200 ms (the request fits in the first KiB): each read arrives well within the 500 ms read
    // timeout, and the whole answer takes about 4 s
    server.enqueue(json(200, SUCCESS + " ".repeat(20_000)).throttleBody(1024, 200, TimeUnit.MILLISECONDS));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("timeout");
  }

  @Test
  void zeroCallTimeout_isRejected() {
    assertThatThrownBy(() -> builder().callTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callTimeout");
  }

  @Test
  void bodyArrivingAfterReadTimeout_isRetryableTimeout() {
    server.enqueue(json(200, SUCCESS).setBodyDelay(5, TimeUnit.SECONDS));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("timeout");
  }

  @Test
  void connectionDroppedMidRequest_isRetryableIo() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("io");
  }

  @Test
  void longErrorMessage_isCutTo300Characters() {
    server.enqueue(json(400, error(131026, "x".repeat(2000))));

    assertThat(((SendResult.Permanent) provider.send(text("Hi"))).message()).hasSize(300).endsWith("…");
  }

  @Test
  void errorBodyEchoingTheToken_isRedactedInTheResult() {
    server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>upstream rejected Authorization: Bearer " + TOKEN + "</html>"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.message()).doesNotContain(TOKEN).contains("Bearer ***");
  }

  @Test
  void close_shutsDownDispatcherAndEvictsPooledConnections() {
    server.enqueue(json(200, SUCCESS));
    provider.send(text("Hi"));
    assertThat(provider.httpClient().connectionPool().connectionCount()).isEqualTo(1);

    provider.close();

    assertThat(provider.httpClient().dispatcher().executorService().isShutdown()).isTrue();
    assertThat(provider.httpClient().connectionPool().connectionCount()).isZero();
  }

  @Test
  void maxConcurrency_sizesTheDispatcher() {
    try (MetaProvider p = builder().maxConcurrency(200).build()) {
      assertThat(p.httpClient().dispatcher().getMaxRequests()).isEqualTo(200);
      assertThat(p.httpClient().dispatcher().getMaxRequestsPerHost()).isEqualTo(200);
    }
  }

  @Test
  void defaultMaxConcurrency_is128() {
    assertThat(provider.httpClient().dispatcher().getMaxRequestsPerHost()).isEqualTo(128);
  }

  @Test
  void toString_showsNoSecrets() {
    MetaProvider p = builder().appSecret("app-secret-xyz").verifyToken("verify-xyz").build();
    try (p) {
      assertThat(p.toString()).doesNotContain(TOKEN).doesNotContain("app-secret-xyz").doesNotContain("verify-xyz").contains("1234567890");
    }
  }

  @Test
  void builderWithoutToken_failsNamingTheSetting() {
    assertThatThrownBy(() -> MetaProvider.builder().phoneNumberId("1").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("token");
  }

  @Test
  void builderWithoutPhoneNumberId_failsNamingTheSetting() {
    assertThatThrownBy(() -> MetaProvider.builder().token("t").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("phone number id");
  }

  @Test
  void blankToken_isRejectedAtTheSetter() {
    assertThatThrownBy(() -> MetaProvider.builder().token("  ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be blank");
  }

  @Test
  void nonNumericPhoneNumberId_isRejectedWithTheValue() {
    assertThatThrownBy(() -> MetaProvider.builder().phoneNumberId("+62 812")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'+62 812'");
  }

  @Test
  void malformedApiVersion_isRejectedWithTheValue() {
    assertThatThrownBy(() -> MetaProvider.builder().apiVersion("21")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'21'");
  }

  @Test
  void nonHttpBaseUrl_isRejectedWithTheValue() {
    assertThatThrownBy(() -> MetaProvider.builder().baseUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ftp://x'");
  }

  @Test
  void zeroReadTimeout_isRejected() {
    assertThatThrownBy(() -> MetaProvider.builder().readTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readTimeout");
  }

  @Test
  void zeroMaxConcurrency_isRejected() {
    assertThatThrownBy(() -> MetaProvider.builder().maxConcurrency(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrency must be > 0, got 0");
  }

  /**
   * Before, OkHttp sent a POST again on a new connection when the gateway dropped a reused one after reading it: the
   * message went out twice, unseen. Now the send is a retryable failure, which the engine retries with its backoff.
   */
  @Test
  void send_whenTheGatewayDropsTheConnectionAfterReadingTheRequest_isNotSentAgainByTheHttpClient() throws Exception {
    server.enqueue(json(200, SUCCESS));
    server.enqueue(new MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(json(200, SUCCESS));
    assertThat(provider.send(text("satu"))).isInstanceOf(SendResult.Accepted.class);

    SendResult second = provider.send(text("dua"));

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(second).isInstanceOf(SendResult.Retryable.class);
  }
}
