package dev.notify.provider.watzap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.notify.core.WebhookRequest;
import dev.notify.core.internal.Phones;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.SecretRedactor;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WebhookResult;
import dev.notify.core.spi.WhatsAppProvider;
import dev.notify.provider.watzap.internal.HttpSupport;
import dev.notify.provider.watzap.internal.WatzapResponses;
import dev.notify.provider.watzap.internal.WatzapWebhooks;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WhatsApp messages through Watzap ({@code POST {base-url}/send_message}, JSON with
 * {@code api_key}, {@code number_key}, {@code phone_no}, {@code message}) and turns its incoming-chat
 * webhook into inbound messages. Watzap returns no message id, so there is no delivery tracking.
 *
 * <pre>{@code
 * WatzapProvider watzap = WatzapProvider.builder().apiKey(System.getenv("WATZAP_API_KEY")).numberKey("abc123").build();
 * }</pre>
 *
 * Thread-safe; one HTTP client per instance, released by {@link #close()}.
 */
public final class WatzapProvider implements WhatsAppProvider {
  /** The provider id, {@value}. */
  public static final String ID = "watzap";

  private static final Logger log = LoggerFactory.getLogger(WatzapProvider.class);
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String apiKey;
  private final String numberKey;
  private final HttpUrl sendUrl;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final OkHttpClient client;
  private final SecretRedactor redactor;
  private final WatzapResponses responses;
  private final WatzapWebhooks webhooks;

  private WatzapProvider(Builder b) {
    this.apiKey = b.apiKey;
    this.numberKey = b.numberKey;
    this.sendUrl = b.baseUrl.newBuilder().addPathSegment("send_message").build();
    this.readTimeout = b.readTimeout;
    this.callTimeout = b.callTimeout != null ? b.callTimeout : HttpSupport.defaultCallTimeout(b.connectTimeout, b.readTimeout);
    this.client = HttpSupport.newClient(b.connectTimeout, b.readTimeout, callTimeout, b.maxConcurrency);
    this.redactor = SecretRedactor.of(b.apiKey, b.numberKey, b.webhookSecret);
    this.responses = new WatzapResponses(b.clock, b.maxRetryAfter, redactor);
    this.webhooks = new WatzapWebhooks(b.webhookSecret, b.clock);
  }

  public static Builder builder() { return new Builder(); }

  @Override public String id() { return ID; }

  @Override
  public SendResult send(OutboundMessage message) {
    Objects.requireNonNull(message, "message");
    ObjectNode body = JSON_MAPPER.createObjectNode();
    body.put("api_key", apiKey);
    body.put("number_key", numberKey);
    body.put("phone_no", message.phoneDigits());
    body.put("message", message.text() == null ? "" : message.text());
    Request request = new Request.Builder().url(sendUrl).post(RequestBody.create(body.toString(), JSON)).build();
    SendResult result;
    try (Response response = client.newCall(request).execute()) {
      result = responses.classify(response.code(), response.header("Retry-After"), HttpSupport.body(response));
    } catch (IOException e) {
      result = HttpSupport.isTimeout(e)
          ? SendResult.retryable("timeout", redactor.redact("Watzap did not answer within the timeout (read timeout " + readTimeout + ", call timeout " + callTimeout + "): " + e.getMessage()))
          : SendResult.retryable("io", redactor.redact("I/O error calling Watzap: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    log.debug("watzap send entry {} to {} attempt {}: {}", message.entryId(), Phones.mask(message.phone()), message.attempt(), result);
    return result;
  }

  @Override
  public WebhookResult handleWebhook(WebhookRequest request) {
    WebhookResult result = webhooks.handle(Objects.requireNonNull(request, "request"));
    log.debug("watzap webhook {}: HTTP {}, {} event(s)", request.method(), result.response().status(), result.events().size());
    return result;
  }

  @Override
  public void close() { HttpSupport.close(client); }

  /** For tests in this package: the client this provider owns. */
  OkHttpClient httpClient() { return client; }

  @Override
  public String toString() { return "WatzapProvider{url=" + sendUrl + "}"; }

  /** Builds a {@link WatzapProvider}; each setter validates its value. {@code apiKey} and {@code numberKey} are required. */
  public static final class Builder {
    private String apiKey;
    private String numberKey;
    private String webhookSecret;
    private HttpUrl baseUrl = HttpUrl.get("https://api.watzap.id/v1");
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(15);
    private Duration callTimeout;
    private Duration maxRetryAfter = Duration.ofMinutes(15);
    private int maxConcurrency = 128;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The account's API key, sent in the request body. */
    public Builder apiKey(String apiKey) {
      this.apiKey = ProviderSupport.requireSecret(apiKey, "apiKey");
      return this;
    }

    /** The paired number's key, sent in the request body. */
    public Builder numberKey(String numberKey) {
      this.numberKey = ProviderSupport.requireSecret(numberKey, "numberKey");
      return this;
    }

    /** Shared secret the webhook URL must carry ({@code ?secret=}); without it webhooks are refused (404). */
    public Builder webhookSecret(String webhookSecret) {
      this.webhookSecret = ProviderSupport.requireSecret(webhookSecret, "webhookSecret");
      return this;
    }

    /** Default {@code https://api.watzap.id/v1}. */
    public Builder baseUrl(String baseUrl) {
      HttpUrl url = baseUrl == null ? null : HttpUrl.parse(baseUrl.strip());
      if (url == null) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL, got " + (baseUrl == null ? "null" : "'" + baseUrl + "'"));
      }
      this.baseUrl = url;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = ProviderSupport.requirePositive(connectTimeout, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = ProviderSupport.requirePositive(readTimeout, "readTimeout");
      return this;
    }

    /**
     * The longest a whole send may take: connecting, writing and reading the answer, however slowly the gateway
     * trickles it. Default: the connect timeout plus twice the read timeout (35 s with the defaults). Keep it well
     * under half the engine's lease.
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = ProviderSupport.requirePositive(callTimeout, "callTimeout");
      return this;
    }

    /** The longest Retry-After passed to the engine; longer ones are cut to this. Default 15 minutes. */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = ProviderSupport.requirePositive(maxRetryAfter, "maxRetryAfter");
      return this;
    }

    /** Connections kept for concurrent sends (and the dispatcher's limit for async calls). Default 128. */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency <= 0) throw new IllegalArgumentException("maxConcurrency must be > 0, got " + maxConcurrency);
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /** Time source for Retry-After dates and webhooks without a timestamp. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** @throws IllegalStateException when {@code apiKey} or {@code numberKey} was not set */
    public WatzapProvider build() {
      if (apiKey == null) throw new IllegalStateException("WatzapProvider needs an API key: call apiKey(...)");
      if (numberKey == null) throw new IllegalStateException("WatzapProvider needs a number key: call numberKey(...)");
      return new WatzapProvider(this);
    }
  }
}
