package dev.notify.provider.watzap;

import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Duration;

/**
 * ServiceLoader entry for {@code watzap}. Settings ({@code notify.watzap.<key>} / {@code NOTIFY_WATZAP_<KEY>}):
 * {@code api-key} and {@code number-key} (required), {@code webhook-secret}, {@code base-url},
 * {@code connect-timeout} (5s), {@code read-timeout} (15s), {@code call-timeout} (connect + 2 × read), {@code max-retry-after} (15m), {@code max-concurrency} (128).
 */
public final class WatzapProviderFactory implements ProviderFactory {
  /** For ServiceLoader; does no work. */
  public WatzapProviderFactory() {}

  @Override public String id() { return WatzapProvider.ID; }

  @Override
  public WhatsAppProvider create(ProviderConfig config) {
    WatzapProvider.Builder b = WatzapProvider.builder();
    b.apiKey(config.require("api-key"));
    b.numberKey(config.require("number-key"));
    config.get("webhook-secret").ifPresent(b::webhookSecret);
    config.get("base-url").ifPresent(v -> config.apply("base-url", () -> b.baseUrl(v)));
    config.apply("connect-timeout", () -> b.connectTimeout(config.duration("connect-timeout", Duration.ofSeconds(5))));
    config.apply("read-timeout", () -> b.readTimeout(config.duration("read-timeout", Duration.ofSeconds(15))));
    config.get("call-timeout").ifPresent(v -> config.apply("call-timeout", () -> b.callTimeout(config.duration("call-timeout", null))));
    config.apply("max-retry-after", () -> b.maxRetryAfter(config.duration("max-retry-after", Duration.ofMinutes(15))));
    config.apply("max-concurrency", () -> b.maxConcurrency(config.integer("max-concurrency", 128)));
    return b.build();
  }
}
