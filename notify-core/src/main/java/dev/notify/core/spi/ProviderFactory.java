package dev.notify.core.spi;

/**
 * Creates a {@link WhatsAppProvider} from configuration. Registered in
 * {@code META-INF/services/dev.notify.core.spi.ProviderFactory}; must have a public no-arg constructor and
 * do no work in it.
 */
public interface ProviderFactory {
  /** The provider id the host names in {@code builder.provider("fonnte")}. */
  String id();

  /**
   * @throws dev.notify.core.ProviderConfigurationException naming the missing or blank setting
   */
  WhatsAppProvider create(ProviderConfig config);
}
