package dev.notify.provider.watzap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
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

class WatzapProviderSendTest {
  static final String API_KEY = "watzap-api-key-Q7";
  static final String NUMBER_KEY = "watzap-number-key-K2";
  static final Instant NOW = Instant.parse("2025-06-25T10:00:00Z");
  static final String SUCCESS = "{\"status\":\"200\",\"message\":\"Successfully\",\"ack\":\"successfully\"}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private WatzapProvider provider;

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

  private WatzapProvider.Builder builder() {
    return WatzapProvider.builder().apiKey(API_KEY).numberKey(NUMBER_KEY).baseUrl(server.url("/v1").toString())
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).readTimeout(Duration.ofMillis(500)).maxRetryAfter(Duration.ofMinutes(10));
  }

  static OutboundMessage text(String body) {
    return new OutboundMessage("e1", "+6281234567890", "Budi", body, "permit_ready", null, Map.of(), 1);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  static String error(String status, String message) {
    return "{\"status\":\"" + status + "\",\"message\":\"" + message + "\"}";
  }

  @Test
  void send_postsJsonWithKeysPhoneAndMessageToSendMessage() throws Exception {
    server.enqueue(json(200, SUCCESS));

    provider.send(text("Izin 123 telah terbit"));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/v1/send_message");
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(r.getHeader("Authorization")).isNull();
    assertThat(JSON.readTree(r.getBody().readUtf8())).isEqualTo(JSON.readTree("{\"api_key\":\"" + API_KEY + "\",\"number_key\":\""
        + NUMBER_KEY + "\",\"phone_no\":\"6281234567890\",\"message\":\"Izin 123 telah terbit\"}"));
  }

  @Test
  void statusString200_isAcceptedWithoutExternalId() {
    server.enqueue(json(200, SUCCESS));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.accepted(null));
  }

  @Test
  void statusNumber200_isAcceptedToo() {
    server.enqueue(json(200, "{\"status\":200,\"message\":\"Successfully\"}"));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.accepted(null));
  }

  @ParameterizedTest(name = "status {0} is permanent")
  @CsvSource({"1002,Invalid API Key", "1003,Invalid Number Key", "1004,Pairing failed / access denied"})
  void authAndPairingCodes_arePermanent(String status, String message) {
    server.enqueue(json(200, error(status, message)));

    assertThat(provider.send(text("Hi"))).isEqualTo(SendResult.permanent(status, "Watzap error " + status + " (HTTP 200): " + message));
  }

  @ParameterizedTest(name = "status {0} is retryable")
  @CsvSource({"1005,Fatal error: session closed", "1006,Other error", "1999,Something new"})
  void fatalOtherAndUnknownCodes_areRetryable(String status, String message) {
    server.enqueue(json(200, error(status, message)));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo(status);
    assertThat(r.message()).contains(message);
  }

  @Test
  void errorCodeWithNonOkHttpStatus_isStillClassifiedByCode() {
    server.enqueue(json(400, error("1002", "Invalid API Key")));

    assertThat(((SendResult.Permanent) provider.send(text("Hi"))).code()).isEqualTo("1002");
  }

  @Test
  void http429_isRetryableAfterRetryAfterSeconds() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "20"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("http_429");
    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void http503WithHtmlBody_isRetryable() {
    server.enqueue(new MockResponse().setResponseCode(503).setBody("<html>Service Unavailable</html>"));

    SendResult.Retryable r = (SendResult.Retryable) provider.send(text("Hi"));

    assertThat(r.code()).isEqualTo("http_503");
    assertThat(r.message()).contains("not JSON");
  }

  @Test
  void http200WithEmptyBody_isRetryableInvalidResponse() {
    server.enqueue(new MockResponse().setResponseCode(200));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("invalid_response");
  }

  @Test
  void garbageJson_isRetryableInvalidResponse() {
    server.enqueue(json(200, "{\"status\":\"2"));

    assertThat(((SendResult.Retryable) provider.send(text("Hi"))).code()).isEqualTo("invalid_response");
  }

  @Test
  void http403WithoutParsableBody_isPermanent() {
    server.enqueue(new MockResponse().setResponseCode(403).setBody("Forbidden"));

    assertThat(((SendResult.Permanent) provider.send(text("Hi"))).code()).isEqualTo("http_403");
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
  void errorEchoingTheKeys_isRedactedAndCut() {
    server.enqueue(json(200, error("1005", "fatal for " + API_KEY + "/" + NUMBER_KEY + " " + "z".repeat(500))));

    String message = ((SendResult.Retryable) provider.send(text("Hi"))).message();

    assertThat(message).doesNotContain(API_KEY).doesNotContain(NUMBER_KEY).contains("fatal for ***/***").hasSize(300);
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
  void toString_showsNoKeys() {
    assertThat(provider.toString()).doesNotContain(API_KEY).doesNotContain(NUMBER_KEY).contains("/v1/send_message");
  }

  @Test
  void builderWithoutApiKey_failsNamingTheSetting() {
    assertThatThrownBy(() -> WatzapProvider.builder().numberKey("n").build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("API key");
  }

  @Test
  void builderWithoutNumberKey_failsNamingTheSetting() {
    assertThatThrownBy(() -> WatzapProvider.builder().apiKey("a").build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("number key");
  }

  @Test
  void blankNumberKey_isRejectedAtTheSetter() {
    assertThatThrownBy(() -> WatzapProvider.builder().numberKey("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("numberKey must not be blank");
  }

  @Test
  void malformedBaseUrl_isRejectedWithTheValue() {
    assertThatThrownBy(() -> WatzapProvider.builder().baseUrl("api.watzap.id")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'api.watzap.id'");
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
