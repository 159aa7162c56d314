package dev.notify.core;

import dev.notify.core.internal.Definitions;
import java.util.List;
import java.util.Optional;

/** Runtime trigger definitions, persisted in the store: {@code engine.triggers()}. */
public final class Triggers {
  private final Definitions definitions;
  private final NotificationEngine engine;

  Triggers(Definitions definitions, NotificationEngine engine) {
    this.definitions = definitions;
    this.engine = engine;
  }

  /**
   * Validates (sandboxed condition, cron, record source) and saves, replacing a trigger with the same code.
   *
   * @throws InvalidDefinitionException (or a subclass) when invalid; nothing is saved
   */
  public void save(Trigger trigger) {
    definitions.saveTrigger(trigger);
    engine.registerCronTrigger(trigger);
  }

  /** The trigger of that code, as this node knows it. */
  public Optional<Trigger> find(String code) { return definitions.trigger(code).map(t -> t.trigger()); }

  /** The triggers this node knows: the builder's, the stored ones at start, and those saved here since. */
  public List<Trigger> list() { return definitions.triggers(); }

  /** @throws InvalidDefinitionException when rules still use it */
  public boolean delete(String code) {
    boolean removed = definitions.deleteTrigger(code);
    if (removed) engine.unregisterCronTrigger(code);
    return removed;
  }
}
