package dev.notify.provider.fonnte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FonnteProviderSendTest {
  static final String TOKEN = "fonnte-token-9xYz";
  static final Instant NOW = Instant.parse("2025-06-25T10:00:00Z");
  static final String SUCCESS = "{\"detail\":\"success! message in queue\",\"id\":[142223099],\"process\":\"pending\","
      + "\"quota\":{\"085885529352\":{\"details\":\"deduced from total quota\",\"quota\":967,\"remaining\":966,\"used\":1}},"
      + "\"requestid\":369052479,\"status\":true,\"target\":[\"6281234567890\"]}";

  private final MockWebServer server = new MockWebServer();
  private FonnteProvider provider;

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

  private FonnteProvider.Builder builder() {
    return FonnteProvider.builder().token(TOKEN).baseUrl(server.url("/").toString()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .readTimeout(Duration.ofMillis(500)).maxRetryAfter(Duration.ofMinutes(10));
  }

  static OutboundMessage text(String body) {
    return new OutboundMessage("e1", "+6281234567890", "Budi", body, "permit_ready", null, Map.of(), 1);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  /** The form fields of a multipart/form-data body, in order. */
  static Map<String, String> formFields(RecordedRequest r) {
    String contentType = r.getHeader("Content-Type");
    String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : r.getBody().readUtf8().split("--" + Pattern.quote(boundary))) {
      Matcher m = Pattern.compile("name=\"([^\"]+)\"[^\\r]*\\r\\n(?:[^\\r]+\\r\\n)*\\r\\n(.*)\\r\\n$", Pattern.DOTALL).matcher(part);
      if (m.find()) fields.put(m.group(1), m.group(2));
    }
    return fields;
  }

  @Test
  void send_postsMultipartTargetMessageAndCountryCodeWithTheRawToken() throws Exception {
    server.enqueue(json(200, SUCCESS));

    provider.send(text("Izin 123 telah terbit"));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/send");
    assertThat(r.getHeader("Authorization")).isEqualTo(TOKEN);
    assertThat(r.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
    assertThat(formFields(r)).containsExactly(Map.entry("target", "6281234567890"), Map.entry("message", "Izin 123 telah terbit"),
        Map.entry("countryCode", "62"));
  }

  @Test
  void configuredCountryCode_isSent() throws Exception {
    server.enqueue(json(200, SUCCESS));
    try (FonnteProvider p = builder().countryCode("0").build()) {
      p.send(text("Hi"));
    }

    assertThat(formFields(server.takeRequest())).containsEntry("countryCode", "0");
  }

  @Test
  void success_isAcceptedWithTheFirstIdAsString() {
    server.enqueue(json(200, SUCCESS));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.accepted("142223099"));
  }

  @Test
  void successWithoutId_isAcceptedWithoutExternalId() {
    server.enqueue(json(200, "{\"status\":true,\"detail\":\"success! message in queue\"}"));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.accepted(null));
  }

  @Test
  void invalidToken_isPermanent() {
    server.enqueue(json(200, "{\"status\":false,\"reason\":\"invalid token\"}"));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.permanent("invalid_token", "Fonnte refused the message (HTTP 200): invalid token"));
  }

  @Test
  void disconnectedDevice_isRetryable() {
    server.enqueue(json(200, "{\"status\":false,\"reason\":\"request invalid on disconnected device\"}"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("device_disconnected");
    assertThat(r.message()).contains("request invalid on disconnected device");
  }

  @Test
  void targetInvalid_isPermanent() {
    server.enqueue(json(200, "{\"status\":false,\"reason\":\"target invalid\"}"));

    assertThat(((SendResult.Permanent) provider.send(text("Hi"))).code()).isEqualTo("target_invalid");
  }

  @Test
  void unknownReason_isRetryableAndKeepsTheReason() {
    server.enqueue(json(200, "{\"status\":false,\"reason\":\"quota habis\"}"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("fonnte_error");
    assertThat(r.message()).contains("quota habis");
  }

  @Test
  void statusFalseWithoutReason_isRetryable() {
    server.enqueue(json(200, "{\"status\":false}"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).message()).contains("no reason given");
  }

  @Test
  void statusAsString_isReadDefensively() {
    server.enqueue(json(200, "{\"status\":\"false\",\"reason\":\"invalid token\"}"));

    assertThat(provider.send(text("Hi"))).isInstanceOf(SendResult.Permanent.class);
  }

  @Test
  void http429_isRetryableAfterRetryAfterSeconds() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "45"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("http_429");
    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void http429RetryAfterLongerThanTheCap_isCut() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "3600"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).retryAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void http500WithHtmlBody_isRetryable() {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("<html><h1>500 Internal Server Error</h1></html>"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("http_500");
    assertThat(r.message()).contains("not JSON");
  }

  @Test
  void http200WithEmptyBody_isRetryableInvalidResponse() {
    server.enqueue(new MockResponse().setResponseCode(200));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("invalid_response");
  }

  @Test
  void garbageJson_isRetryableInvalidResponse() {
    server.enqueue(json(200, "{\"status\":tru"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("invalid_response");
  }

  @Test
  void http401WithoutParsableBody_isPermanent() {
    server.enqueue(new MockResponse().setResponseCode(401).setBody("<html>Unauthorized</html>"));

    assertThat(((SendResult.Permanent) provider.send(text("Hi"))).code()).isEqualTo("http_401");
  }

  @Test
  void http502WithEmptyBody_isRetryable() {
    server.enqueue(new MockResponse().setResponseCode(502));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).message()).contains("empty body");
  }

  @Test
  void noAnswerWithinReadTimeout_isRetryableTimeout() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("timeout");
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
  void connectionDropped_isRetryableIo() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("io");
  }

  @Test
  void longReason_isCutTo300Characters() {
    server.enqueue(json(200, "{\"status\":false,\"reason\":\"" + "y".repeat(1000) + "\"}"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).message()).hasSize(300);
  }

  @Test
  void reasonEchoingTheToken_isRedacted() {
    server.enqueue(json(200, "{\"status\":false,\"reason\":\"token " + TOKEN + " is invalid token\"}"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).message()).doesNotContain(TOKEN).contains("token *** is");
  }

  @Test
  void close_shutsDownDispatcherAndEvictsPooledConnections() {
    server.enqueue(json(200, SUCCESS));
    provider.send(text("Hi"));

    provider.close();

    assertThat(provider.httpClient().dispatcher().executorService().isShutdown()).isTrue();
    assertThat(provider.httpClient().connectionPool().connectionCount()).isZero();
  }

  @Test
  void maxConcurrency_sizesTheDispatcher() {
    try (FonnteProvider p = builder().maxConcurrency(256).build()) {
      assertThat(p.httpClient().dispatcher().getMaxRequestsPerHost()).isEqualTo(256);
    }
  }

  @Test
  void toString_showsNoToken() {
    assertThat(provider.toString()).doesNotContain(TOKEN).contains("/send");
  }

  @Test
  void builderWithoutToken_failsNamingTheSetting() {
    assertThatThrownBy(() -> FonnteProvider.builder().build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("token");
  }

  @Test
  void blankToken_isRejectedAtTheSetter() {
    assertThatThrownBy(() -> FonnteProvider.builder().token(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be blank");
  }

  @Test
  void nonNumericCountryCode_isRejectedWithTheValue() {
    assertThatThrownBy(() -> FonnteProvider.builder().countryCode("+62")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'+62'");
  }

  @Test
  void zeroConnectTimeout_isRejected() {
    assertThatThrownBy(() -> FonnteProvider.builder().connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
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
