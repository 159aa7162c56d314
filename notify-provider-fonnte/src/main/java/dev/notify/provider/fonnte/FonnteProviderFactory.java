package dev.notify.provider.fonnte;

import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Duration;

/**
 * ServiceLoader entry for {@code fonnte}. Settings ({@code notify.fonnte.<key>} / {@code NOTIFY_FONNTE_<KEY>}):
 * {@code token} (required), {@code webhook-secret}, {@code base-url}, {@code country-code} (62),
 * {@code connect-timeout} (5s), {@code read-timeout} (15s), {@code call-timeout} (connect + 2 × read), {@code max-retry-after} (15m), {@code max-concurrency} (128).
 */
public final class FonnteProviderFactory implements ProviderFactory {
  /** For ServiceLoader; does no work. */
  public FonnteProviderFactory() {}

  @Override public String id() { return FonnteProvider.ID; }

  @Override
  public WhatsAppProvider create(ProviderConfig config) {
    FonnteProvider.Builder b = FonnteProvider.builder();
    b.token(config.require("token"));
    config.get("webhook-secret").ifPresent(b::webhookSecret);
    config.get("base-url").ifPresent(v -> config.apply("base-url", () -> b.baseUrl(v)));
    config.get("country-code").ifPresent(v -> config.apply("country-code", () -> b.countryCode(v)));
    config.apply("connect-timeout", () -> b.connectTimeout(config.duration("connect-timeout", Duration.ofSeconds(5))));
    config.apply("read-timeout", () -> b.readTimeout(config.duration("read-timeout", Duration.ofSeconds(15))));
    config.get("call-timeout").ifPresent(v -> config.apply("call-timeout", () -> b.callTimeout(config.duration("call-timeout", null))));
    config.apply("max-retry-after", () -> b.maxRetryAfter(config.duration("max-retry-after", Duration.ofMinutes(15))));
    config.apply("max-concurrency", () -> b.maxConcurrency(config.integer("max-concurrency", 128)));
    return b.build();
  }
}
