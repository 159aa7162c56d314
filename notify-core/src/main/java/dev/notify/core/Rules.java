package dev.notify.core;

import dev.notify.core.internal.Definitions;
import java.util.List;
import java.util.Optional;

/** Runtime rule definitions, persisted in the store: {@code engine.rules()}. */
public final class Rules {
  private final Definitions definitions;

  Rules(Definitions definitions) { this.definitions = definitions; }

  /**
   * Validates (trigger and template exist, every expression passes the sandbox) and saves, replacing a rule
   * with the same name.
   *
   * @throws InvalidDefinitionException (or a subclass such as InvalidExpressionException) when invalid; nothing is saved
   */
  public void save(Rule rule) { definitions.saveRule(rule); }

  /** The rule of that name, as this node knows it. */
  public Optional<Rule> find(String name) { return definitions.rule(name).map(r -> r.rule()); }

  /** The rules this node knows: the builder's, the stored ones at start, and those saved here since. */
  public List<Rule> list() { return definitions.rules(); }

  /**
   * Removes the rule. Its entries still queued are not sent: each is cancelled with the reason
   * {@code rule_deleted} when a dispatcher reaches it (a message without its rule's quiet hours and rate limit
   * could wake or flood its recipients).
   *
   * @return whether a rule of that name existed
   */
  public boolean delete(String name) { return definitions.deleteRule(name); }
}
