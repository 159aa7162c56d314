package dev.notify.provider.meta;

import dev.notify.core.WebhookRequest;
import dev.notify.core.internal.Phones;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.SecretRedactor;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WebhookResult;
import dev.notify.core.spi.WhatsAppProvider;
import dev.notify.provider.meta.internal.HttpSupport;
import dev.notify.provider.meta.internal.MetaRequests;
import dev.notify.provider.meta.internal.MetaResponses;
import dev.notify.provider.meta.internal.MetaWebhooks;
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
 * Sends WhatsApp messages through Meta's Cloud API ({@code POST {base-url}/{api-version}/{phone-number-id}/messages})
 * and handles its webhooks (GET verification, signed POST status and inbound-message notifications).
 *
 * <pre>{@code
 * MetaProvider meta = MetaProvider.builder()
 *     .token(System.getenv("META_TOKEN"))
 *     .phoneNumberId("1234567890")
 *     .appSecret(System.getenv("META_APP_SECRET"))
 *     .verifyToken("my-verify-token")
 *     .build();
 * }</pre>
 *
 * Thread-safe; one HTTP client per instance, released by {@link #close()}.
 */
public final class MetaProvider implements WhatsAppProvider {
  /** The provider id, {@value}. */
  public static final String ID = "meta";

  private static final Logger log = LoggerFactory.getLogger(MetaProvider.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String token;
  private final String phoneNumberId;
  private final String apiVersion;
  private final HttpUrl messagesUrl;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final OkHttpClient client;
  private final SecretRedactor redactor;
  private final MetaResponses responses;
  private final MetaWebhooks webhooks;

  private MetaProvider(Builder b) {
    this.token = b.token;
    this.phoneNumberId = b.phoneNumberId;
    this.apiVersion = b.apiVersion;
    this.messagesUrl = b.baseUrl.newBuilder().addPathSegment(b.apiVersion).addPathSegment(b.phoneNumberId).addPathSegment("messages").build();
    this.readTimeout = b.readTimeout;
    this.callTimeout = b.callTimeout != null ? b.callTimeout : HttpSupport.defaultCallTimeout(b.connectTimeout, b.readTimeout);
    this.client = HttpSupport.newClient(b.connectTimeout, b.readTimeout, callTimeout, b.maxConcurrency);
    this.redactor = SecretRedactor.of(b.token, b.appSecret, b.verifyToken);
    this.responses = new MetaResponses(b.clock, b.maxRetryAfter, redactor);
    this.webhooks = new MetaWebhooks(b.appSecret, b.verifyToken, b.clock);
  }

  public static Builder builder() { return new Builder(); }

  @Override public String id() { return ID; }

  @Override
  public SendResult send(OutboundMessage message) {
    Objects.requireNonNull(message, "message");
    Request request = new Request.Builder()
        .url(messagesUrl)
        .header("Authorization", "Bearer " + token)
        .post(RequestBody.create(MetaRequests.body(message), JSON))
        .build();
    SendResult result;
    try (Response response = client.newCall(request).execute()) {
      result = responses.classify(response.code(), response.header("Retry-After"), HttpSupport.body(response), message.attempt());
    } catch (IOException e) {
      result = HttpSupport.isTimeout(e)
          ? SendResult.retryable("timeout", redactor.redact("Meta did not answer within the timeout (read timeout " + readTimeout + ", call timeout " + callTimeout + "): " + e.getMessage()))
          : SendResult.retryable("io", redactor.redact("I/O error calling Meta: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    log.debug("meta send entry {} to {} attempt {}: {}", message.entryId(), Phones.mask(message.phone()), message.attempt(), result);
    return result;
  }

  @Override
  public WebhookResult handleWebhook(WebhookRequest request) {
    WebhookResult result = webhooks.handle(Objects.requireNonNull(request, "request"));
    log.debug("meta webhook {}: HTTP {}, {} event(s)", request.method(), result.response().status(), result.events().size());
    return result;
  }

  @Override
  public void close() { HttpSupport.close(client); }

  /** For tests in this package: the client this provider owns. */
  OkHttpClient httpClient() { return client; }

  @Override
  public String toString() {
    return "MetaProvider{phoneNumberId=" + phoneNumberId + ", apiVersion=" + apiVersion + ", url=" + messagesUrl + "}";
  }

  /** Builds a {@link MetaProvider}; each setter validates its value. {@code token} and {@code phoneNumberId} are required. */
  public static final class Builder {
    private String token;
    private String phoneNumberId;
    private String appSecret;
    private String verifyToken;
    private String apiVersion = "v21.0";
    private HttpUrl baseUrl = HttpUrl.get("https://graph.facebook.com");
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(15);
    private Duration callTimeout;
    private Duration maxRetryAfter = Duration.ofMinutes(15);
    private int maxConcurrency = 128;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The system-user or app access token, sent as {@code Authorization: Bearer}. */
    public Builder token(String token) {
      this.token = ProviderSupport.requireSecret(token, "token");
      return this;
    }

    /** The WhatsApp phone number id messages are sent from (digits). */
    public Builder phoneNumberId(String phoneNumberId) {
      if (phoneNumberId == null || !phoneNumberId.strip().matches("\\d{1,32}")) {
        throw new IllegalArgumentException("phoneNumberId must be the numeric WhatsApp phone number id, got "
            + (phoneNumberId == null ? "null" : "'" + phoneNumberId + "'"));
      }
      this.phoneNumberId = phoneNumberId.strip();
      return this;
    }

    /** The app secret that signs webhook notifications; without it POST webhooks are refused (404). */
    public Builder appSecret(String appSecret) {
      this.appSecret = ProviderSupport.requireSecret(appSecret, "appSecret");
      return this;
    }

    /** The token Meta echoes in webhook verification; without it GET verification is refused (404). */
    public Builder verifyToken(String verifyToken) {
      this.verifyToken = ProviderSupport.requireSecret(verifyToken, "verifyToken");
      return this;
    }

    /** Graph API version, e.g. {@code v21.0} (the default). */
    public Builder apiVersion(String apiVersion) {
      if (apiVersion == null || !apiVersion.strip().matches("v\\d{1,3}\\.\\d{1,3}")) {
        throw new IllegalArgumentException("apiVersion must look like v21.0, got " + (apiVersion == null ? "null" : "'" + apiVersion + "'"));
      }
      this.apiVersion = apiVersion.strip();
      return this;
    }

    /** Default {@code https://graph.facebook.com}; tests point it at a MockWebServer. */
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

    /** The longest Retry-After (or backoff hint) passed to the engine; longer ones are cut to this. Default 15 minutes. */
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

    /** @throws IllegalStateException when {@code token} or {@code phoneNumberId} was not set */
    public MetaProvider build() {
      if (token == null) throw new IllegalStateException("MetaProvider needs a token: call token(...)");
      if (phoneNumberId == null) throw new IllegalStateException("MetaProvider needs a phone number id: call phoneNumberId(...)");
      return new MetaProvider(this);
    }
  }
}
