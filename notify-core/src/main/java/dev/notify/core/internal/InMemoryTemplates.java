package dev.notify.core.internal;

import dev.notify.core.MessageTemplate;
import dev.notify.core.spi.TemplateRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The engine's default template registry: templates given to the builder, plus any added later. */
public final class InMemoryTemplates implements TemplateRegistry {
  private final Map<String, MessageTemplate> templates = new ConcurrentHashMap<>();
  private final TemplateRegistry fallback;

  public InMemoryTemplates(Map<String, MessageTemplate> initial, TemplateRegistry fallback) {
    templates.putAll(initial);
    this.fallback = fallback;
  }

  public void put(MessageTemplate t) { templates.put(t.key(), t); }

  @Override public Optional<MessageTemplate> find(String key) {
    MessageTemplate t = templates.get(key);
    if (t != null) return Optional.of(t);
    return fallback == null ? Optional.empty() : fallback.find(key);
  }
}
