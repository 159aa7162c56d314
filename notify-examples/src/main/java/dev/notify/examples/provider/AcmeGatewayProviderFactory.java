package dev.notify.examples.provider;

import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Duration;

/**
 * Creates {@link AcmeGatewayProvider} from configuration; registered for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/dev.notify.core.spi.ProviderFactory}. Settings ({@code notify.acme.<key>} or
 * {@code NOTIFY_ACME_<KEY>}): {@code token} (required), {@code base-url} (default
 * {@code https://api.acme.example}), {@code webhook-secret} (optional), {@code timeout} (default {@code PT10S}).
 */
public final class AcmeGatewayProviderFactory implements ProviderFactory {
  /** Public no-arg constructor, no work: ServiceLoader instantiates every factory it finds. */
  public AcmeGatewayProviderFactory() {}

  @Override public String id() { return AcmeGatewayProvider.ID; }

  @Override public WhatsAppProvider create(ProviderConfig config) {
    return new AcmeGatewayProvider(
        config.get("base-url", "https://api.acme.example"),
        config.require("token"), // ProviderConfigurationException naming the setting, never the value
        config.get("webhook-secret").orElse(null),
        config.duration("timeout", Duration.ofSeconds(10)));
  }
}
