package dev.notify.provider.meta;

import dev.notify.core.ProviderConfigurationException;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Duration;

/**
 * ServiceLoader entry for {@code meta}. Settings ({@code notify.meta.<key>} / {@code NOTIFY_META_<KEY>}):
 * {@code token} and {@code phone-number-id} (required), {@code app-secret}, {@code verify-token},
 * {@code api-version} (v21.0), {@code base-url}, {@code connect-timeout} (5s), {@code read-timeout} (15s),
 * {@code max-retry-after} (15m), {@code max-concurrency} (128).
 */
public final class MetaProviderFactory implements ProviderFactory {
  /** For ServiceLoader; does no work. */
  public MetaProviderFactory() {}

  @Override public String id() { return MetaProvider.ID; }

  @Override
  public WhatsAppProvider create(ProviderConfig config) {
    MetaProvider.Builder b = MetaProvider.builder();
    b.token(config.require("token"));
    set(config, "phone-number-id", () -> b.phoneNumberId(config.require("phone-number-id")));
    config.get("app-secret").ifPresent(b::appSecret);
    config.get("verify-token").ifPresent(b::verifyToken);
    config.get("api-version").ifPresent(v -> set(config, "api-version", () -> b.apiVersion(v)));
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
