package dev.notify.core.internal;

import dev.notify.core.RecordingProvider;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.WhatsAppProvider;

/**
 * ServiceLoader entry for {@link RecordingProvider}: {@code builder.provider("recording")}. Setting
 * {@code print=true} prints each message to standard output.
 */
public final class RecordingProviderFactory implements ProviderFactory {
  @Override public String id() { return RecordingProvider.ID; }

  @Override public WhatsAppProvider create(ProviderConfig config) {
    boolean print = Boolean.parseBoolean(config.get("print", "false"));
    return new RecordingProvider(RecordingProvider.ID, print ? System.out : null);
  }
}
