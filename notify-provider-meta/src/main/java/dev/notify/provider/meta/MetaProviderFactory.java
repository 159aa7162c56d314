package dev.notify.provider.meta;

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
    config.apply("phone-number-id", () -> b.phoneNumberId(config.require("phone-number-id")));
    config.get("app-secret").ifPresent(b::appSecret);
    config.get("verify-token").ifPresent(b::verifyToken);
    config.get("api-version").ifPresent(v -> config.apply("api-version", () -> b.apiVersion(v)));
    config.get("base-url").ifPresent(v -> config.apply("base-url", () -> b.baseUrl(v)));
    config.apply("connect-timeout", () -> b.connectTimeout(config.duration("connect-timeout", Duration.ofSeconds(5))));
    config.apply("read-timeout", () -> b.readTimeout(config.duration("read-timeout", Duration.ofSeconds(15))));
    config.get("call-timeout").ifPresent(v -> config.apply("call-timeout", () -> b.callTimeout(config.duration("call-timeout", null))));
    config.apply("max-retry-after", () -> b.maxRetryAfter(config.duration("max-retry-after", Duration.ofMinutes(15))));
    config.apply("max-concurrency", () -> b.maxConcurrency(config.integer("max-concurrency", 128)));
    return b.build();
  }
}
