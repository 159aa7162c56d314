package dev.notify.core.spi;

import dev.notify.core.MessageTemplate;
import java.util.Optional;

/** Looks up message templates by key. The engine's default is in memory, filled from the builder. */
@FunctionalInterface
public interface TemplateRegistry {
  Optional<MessageTemplate> find(String key);
}
