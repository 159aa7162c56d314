package dev.notify.provider.watzap;

import dev.notify.core.ProviderConfigurationException;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Duration;

/**
 * ServiceLoader entry for {@code watzap}. Settings ({@code notify.watzap.<key>} / {@code NOTIFY_WATZAP_<KEY>}):
 * {@code api-key} and {@code number-key} (required), {@code webhook-secret}, {@code base-url},
 * {@code connect-timeout} (5s), {@code read-timeout} (15s), {@code max-retry-after} (15m), {@code max-concurrency} (128).
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
    config.get("base-url").ifPresent(v -> set(config, "base-url", () -> b.baseUrl(v)));
    set(config, "connect-timeout", () -> b.connectTimeout(config.duration("connect-timeout", Duration.ofSeconds(5))));
    set(config, "read-timeout", () -> b.readTimeout(config.duration("read-timeout", Duration.ofSeconds(15))));
    set(config, "max-retry-after", () -> b.maxRetryAfter(config.duration("max-retry-after", Duration.ofMinutes(15))));
    set(config, "max-concurrency", () -> b.maxConcurrency(config.integer("max-concurrency", 128)));
    return b.build();
  }

  /** Turns a builder's IllegalArgumentException (which names the value; never used for secrets) into a config error. */
  private static void set(ProviderConfig config, String key, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new ProviderConfigurationException("provider '" + config.providerId() + "' setting '" + key + "' ("
          + config.propertyName(key) + " / " + config.envName(key) + ") is invalid: " + e.getMessage(), e);
    }
  }
}
