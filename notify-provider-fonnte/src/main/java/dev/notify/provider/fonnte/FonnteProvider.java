package dev.notify.provider.fonnte;

import dev.notify.core.WebhookRequest;
import dev.notify.core.internal.Phones;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.ProviderSupport;
import dev.notify.core.spi.SecretRedactor;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WebhookResult;
import dev.notify.core.spi.WhatsAppProvider;
import dev.notify.provider.fonnte.internal.FonnteResponses;
import dev.notify.provider.fonnte.internal.FonnteWebhooks;
import dev.notify.provider.fonnte.internal.HttpSupport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WhatsApp messages through Fonnte ({@code POST {base-url}/send}, token in a raw
 * {@code Authorization} header, form fields {@code target}, {@code message}, {@code countryCode}) and
 * handles its status callback.
 *
 * <pre>{@code
 * FonnteProvider fonnte = FonnteProvider.builder().token(System.getenv("FONNTE_TOKEN")).build();
 * }</pre>
 *
 * Thread-safe; one HTTP client per instance, released by {@link #close()}.
 */
public final class FonnteProvider implements WhatsAppProvider {
  /** The provider id, {@value}. */
  public static final String ID = "fonnte";

  private static final Logger log = LoggerFactory.getLogger(FonnteProvider.class);

  private final String token;
  private final HttpUrl sendUrl;
  private final String countryCode;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final OkHttpClient client;
  private final SecretRedactor redactor;
  private final FonnteResponses responses;
  private final FonnteWebhooks webhooks;

  private FonnteProvider(Builder b) {
    this.token = b.token;
    this.sendUrl = b.baseUrl.newBuilder().addPathSegment("send").build();
    this.countryCode = b.countryCode;
    this.readTimeout = b.readTimeout;
    this.callTimeout = b.callTimeout != null ? b.callTimeout : HttpSupport.defaultCallTimeout(b.connectTimeout, b.readTimeout);
    this.client = HttpSupport.newClient(b.connectTimeout, b.readTimeout, callTimeout, b.maxConcurrency);
    this.redactor = SecretRedactor.of(b.token, b.webhookSecret);
    this.responses = new FonnteResponses(b.clock, b.maxRetryAfter, redactor);
    this.webhooks = new FonnteWebhooks(b.webhookSecret, b.clock);
  }

  public static Builder builder() { return new Builder(); }

  @Override public String id() { return ID; }

  @Override
  public SendResult send(OutboundMessage message) {
    Objects.requireNonNull(message, "message");
    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("target", message.phoneDigits())
        .addFormDataPart("message", message.text() == null ? "" : message.text())
        .addFormDataPart("countryCode", countryCode)
        .build();
    Request request = new Request.Builder().url(sendUrl).header("Authorization", token).post(body).build();
    SendResult result;
    try (Response response = client.newCall(request).execute()) {
      result = responses.classify(response.code(), response.header("Retry-After"), HttpSupport.body(response));
    } catch (IOException e) {
      result = HttpSupport.isTimeout(e)
          ? SendResult.retryable("timeout", redactor.redact("Fonnte did not answer within the timeout (read timeout " + readTimeout + ", call timeout " + callTimeout + "): " + e.getMessage()))
          : SendResult.retryable("io", redactor.redact("I/O error calling Fonnte: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    log.debug("fonnte send entry {} to {} attempt {}: {}", message.entryId(), Phones.mask(message.phone()), message.attempt(), result);
    return result;
  }

  @Override
  public WebhookResult handleWebhook(WebhookRequest request) {
    WebhookResult result = webhooks.handle(Objects.requireNonNull(request, "request"));
    log.debug("fonnte webhook {}: HTTP {}, {} event(s)", request.method(), result.response().status(), result.events().size());
    return result;
  }

  @Override
  public void close() { HttpSupport.close(client); }

  /** For tests in this package: the client this provider owns. */
  OkHttpClient httpClient() { return client; }

  @Override
  public String toString() { return "FonnteProvider{url=" + sendUrl + ", countryCode=" + countryCode + "}"; }

  /** Builds a {@link FonnteProvider}; each setter validates its value. {@code token} is required. */
  public static final class Builder {
    private String token;
    private String webhookSecret;
    private HttpUrl baseUrl = HttpUrl.get("https://api.fonnte.com");
    private String countryCode = "62";
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(15);
    private Duration callTimeout;
    private Duration maxRetryAfter = Duration.ofMinutes(15);
    private int maxConcurrency = 128;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The device token, sent raw in {@code Authorization} (no "Bearer"). */
    public Builder token(String token) {
      this.token = ProviderSupport.requireSecret(token, "token");
      return this;
    }

    /** Shared secret the status-callback URL must carry ({@code ?secret=}); without it webhooks are refused (404). */
    public Builder webhookSecret(String webhookSecret) {
      this.webhookSecret = ProviderSupport.requireSecret(webhookSecret, "webhookSecret");
      return this;
    }

    /** Default {@code https://api.fonnte.com}. */
    public Builder baseUrl(String baseUrl) {
      HttpUrl url = baseUrl == null ? null : HttpUrl.parse(baseUrl.strip());
      if (url == null) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL, got " + (baseUrl == null ? "null" : "'" + baseUrl + "'"));
      }
      this.baseUrl = url;
      return this;
    }

    /** Fonnte's {@code countryCode} field: replaces a leading 0 in the target. Default {@code 62}; {@code 0} turns it off. */
    public Builder countryCode(String countryCode) {
      if (countryCode == null || !countryCode.strip().matches("\\d{1,4}")) {
        throw new IllegalArgumentException("countryCode must be 1 to 4 digits (0 turns it off), got "
            + (countryCode == null ? "null" : "'" + countryCode + "'"));
      }
      this.countryCode = countryCode.strip();
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

    /** Time source for Retry-After dates and the time of status callbacks. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** @throws IllegalStateException when {@code token} was not set */
    public FonnteProvider build() {
      if (token == null) throw new IllegalStateException("FonnteProvider needs a token: call token(...)");
      return new FonnteProvider(this);
    }
  }
}
