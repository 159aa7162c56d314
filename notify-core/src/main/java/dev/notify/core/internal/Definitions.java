package dev.notify.core.internal;

import dev.notify.core.InvalidCronException;
import dev.notify.core.InvalidDefinitionException;
import dev.notify.core.RecipientSpec;
import dev.notify.core.Rule;
import dev.notify.core.Schedule;
import dev.notify.core.Trigger;
import dev.notify.core.TriggerType;
import dev.notify.core.UnknownTemplateException;
import dev.notify.core.internal.expr.CompiledExpression;
import dev.notify.core.internal.expr.ExpressionCompiler;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.TemplateRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Triggers and rules as the engine uses them: validated and compiled once, indexed for fire, persisted in
 * the store. Saving validates everything first and changes nothing when something is wrong.
 */
public final class Definitions {
  private final NotificationStore store;
  private final Predicate<String> validPhone;
  private final ExpressionCompiler compiler;
  private final TemplateRegistry templates;
  private final Predicate<String> preparerExists;
  private final Predicate<String> recordSourceExists;
  private final Predicate<String> providerExists;
  private final java.util.function.Consumer<Trigger> cronValidator;

  private final Map<String, CompiledTrigger> triggers = new ConcurrentHashMap<>();
  private final Map<String, CompiledRule> rules = new ConcurrentHashMap<>();
  /** How long the dispatcher trusts its last read of a stored rule. */
  static final java.time.Duration STORED_RULE_TTL = java.time.Duration.ofSeconds(5);
  /** Each rule as the store held it when last read (empty: deleted), for the dispatcher. */
  private final com.github.benmanes.caffeine.cache.Cache<String, java.util.Optional<Rule>> stored =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(STORED_RULE_TTL).maximumSize(10_000).build();
  /** trigger code → its active rules; replaced copy-on-write. */
  private volatile Map<String, List<CompiledRule>> rulesByTrigger = Map.of();

  /** @param validPhone whether a fixed (STATIC) recipient number is valid; checked when a rule is saved */
  public Definitions(NotificationStore store, ExpressionCompiler compiler, TemplateRegistry templates,
                     Predicate<String> preparerExists, Predicate<String> recordSourceExists,
                     Predicate<String> providerExists, java.util.function.Consumer<Trigger> cronValidator,
                     Predicate<String> validPhone) {
    this.validPhone = validPhone;
    this.store = store;
    this.compiler = compiler;
    this.templates = templates;
    this.preparerExists = preparerExists;
    this.recordSourceExists = recordSourceExists;
    this.providerExists = providerExists;
    this.cronValidator = cronValidator;
  }

  /** Loads stored definitions (stored ones are compiled like new ones). */
  public synchronized void loadFromStore() {
    for (Trigger t : store.triggers()) triggers.put(t.code(), compile(t));
    for (Rule r : store.rules()) rules.put(r.name(), compile(r));
    reindex();
  }

  /** Validates and compiles, then persists (replacing by code) and indexes; nothing changes when invalid. */
  public synchronized void saveTrigger(Trigger trigger) {
    CompiledTrigger ct = compile(trigger);
    store.saveTrigger(trigger);
    triggers.put(trigger.code(), ct);
    reindex();
  }

  /** Validates and compiles, then persists (replacing by name) and indexes; nothing changes when invalid. */
  public synchronized void saveRule(Rule rule) {
    // checked on save only: a stored rule from before this check still loads (its bad number is skipped per fire)
    for (RecipientSpec s : rule.recipients()) {
      if (s.type() != RecipientSpec.Type.STATIC) continue;
      for (String phone : s.phones()) {
        if (!validPhone.test(phone)) {
          throw new InvalidDefinitionException("rule '" + rule.name() + "' has the fixed recipient '" + Phones.mask(phone)
              + "', which is not a valid phone number");
        }
      }
    }
    refuseRecipientOutsideTheDedupeKey(rule);
    CompiledRule cr = compile(rule);
    store.saveRule(rule);
    stored.invalidate(rule.name());
    rules.put(rule.name(), cr);
    reindex();
  }

  /**
   * {@code recipient} has a value only in the dedupe key (it is evaluated per recipient); elsewhere it is always
   * null, and a condition on it was false at every fire, silently. Checked on save only, as the fixed numbers are.
   */
  private void refuseRecipientOutsideTheDedupeKey(Rule rule) {
    List<String[]> expressions = new ArrayList<>(); // {what, source}: a rule may have several recipient specs
    rule.condition().ifPresent(c -> expressions.add(new String[] {"condition", c}));
    rule.context().forEach((k, v) -> expressions.add(new String[] {"context '" + k + "'", v}));
    for (RecipientSpec s : rule.recipients()) {
      if (s.phoneExpression() != null) expressions.add(new String[] {"recipient phone", s.phoneExpression()});
      if (s.nameExpression() != null) expressions.add(new String[] {"recipient name", s.nameExpression()});
      s.params().forEach((k, v) -> expressions.add(new String[] {"recipient query param '" + k + "'", v}));
    }
    if (rule.schedule().type() == Schedule.Type.AT) expressions.add(new String[] {"schedule", rule.schedule().atExpression()});
    for (String[] e : expressions) {
      String owner = "rule '" + rule.name() + "' " + e[0];
      if (dev.notify.core.internal.expr.ExpressionCompiler.readsVariable(owner, e[1], "recipient")) {
        throw new InvalidDefinitionException(owner + " reads 'recipient', which only the dedupe key has (it is null"
            + " elsewhere): '" + e[1] + "'");
      }
    }
  }

  public synchronized boolean deleteTrigger(String code) {
    List<String> users = rules.values().stream().filter(r -> r.rule().trigger().equals(code)).map(r -> r.rule().name()).toList();
    if (!users.isEmpty()) {
      throw new InvalidDefinitionException("trigger '" + code + "' is used by rules " + users + "; delete or change them first");
    }
    boolean removed = store.deleteTrigger(code);
    triggers.remove(code);
    reindex();
    return removed;
  }

  public synchronized boolean deleteRule(String name) {
    boolean removed = store.deleteRule(name);
    stored.invalidate(name);
    rules.remove(name);
    reindex();
    return removed;
  }

  public Optional<CompiledTrigger> trigger(String code) { return Optional.ofNullable(triggers.get(code)); }
  public Optional<CompiledRule> rule(String name) { return Optional.ofNullable(rules.get(name)); }

  /**
   * The rule as the store holds it, for sending its entries: read at most every {@link #STORED_RULE_TTL}, so that
   * a rule changed or deleted on any node is sent by the same policy on every node within that time (this node's
   * own saves and deletes count at once). Empty when the rule was deleted.
   *
   * @throws dev.notify.core.StoreException when the store cannot be read
   */
  public Optional<Rule> storedRule(String name) { return stored.get(name, store::findRule); }
  public List<CompiledRule> rulesFor(String triggerCode) { return rulesByTrigger.getOrDefault(triggerCode, List.of()); }
  public List<Trigger> triggers() { return triggers.values().stream().map(CompiledTrigger::trigger).toList(); }
  public List<Rule> rules() { return rules.values().stream().map(CompiledRule::rule).toList(); }

  /** Active ON_* triggers of an entity. */
  public List<CompiledTrigger> triggersOfEntity(String entity) {
    List<CompiledTrigger> out = new ArrayList<>();
    for (CompiledTrigger t : triggers.values()) {
      if (t.trigger().active() && t.trigger().entity().map(entity::equals).orElse(false)
          && t.trigger().type() != TriggerType.CRON && t.trigger().type() != TriggerType.MANUAL) {
        out.add(t);
      }
    }
    return out;
  }

  private void reindex() {
    Map<String, List<CompiledRule>> idx = new LinkedHashMap<>();
    rules.values().stream()
        .sorted(java.util.Comparator.comparing(r -> r.rule().name()))
        .forEach(r -> idx.computeIfAbsent(r.rule().trigger(), k -> new ArrayList<>()).add(r));
    Map<String, List<CompiledRule>> frozen = new ConcurrentHashMap<>();
    idx.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    rulesByTrigger = frozen;
  }

  private CompiledTrigger compile(Trigger t) {
    String owner = "trigger '" + t.code() + "' condition";
    CompiledExpression cond = t.condition().map(c -> compiler.compile(owner, c)).orElse(null);
    if (t.type() == TriggerType.CRON) {
      String source = t.source().orElseThrow();
      if (!recordSourceExists.test(source)) {
        throw new InvalidDefinitionException("trigger '" + t.code() + "' names record source '" + source
            + "' but none is registered on the engine builder (recordSource(name, source))");
      }
      try {
        cronValidator.accept(t);
      } catch (InvalidCronException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InvalidCronException("trigger '" + t.code() + "': invalid cron expression '" + t.cron().orElse("") + "': " + e.getMessage(), e);
      }
    }
    return new CompiledTrigger(t, cond);
  }

  private CompiledRule compile(Rule r) {
    String who = "rule '" + r.name() + "'";
    if (!triggers.containsKey(r.trigger())) {
      throw new InvalidDefinitionException(who + " names trigger '" + r.trigger() + "' which is not registered; known: " + triggers.keySet());
    }
    if (templates.find(r.templateKey()).isEmpty()) {
      throw new UnknownTemplateException(who + " names template '" + r.templateKey() + "' which the template registry does not know");
    }
    r.contextPreparer().ifPresent(p -> {
      if (!preparerExists.test(p)) throw new InvalidDefinitionException(who + " names context preparer '" + p + "' which is not registered");
    });
    for (String p : r.providers()) {
      if (!providerExists.test(p)) throw new InvalidDefinitionException(who + " routes through provider '" + p + "' which is not configured");
    }
    CompiledExpression cond = r.condition().map(c -> compiler.compile(who + " condition", c)).orElse(null);
    Map<String, CompiledExpression> ctx = new LinkedHashMap<>();
    r.context().forEach((k, v) -> ctx.put(k, compiler.compile(who + " context '" + k + "'", v)));
    List<CompiledRule.CompiledRecipients> recips = new ArrayList<>();
    for (RecipientSpec s : r.recipients()) {
      CompiledExpression phone = s.phoneExpression() == null ? null : compiler.compile(who + " recipient phone", s.phoneExpression());
      CompiledExpression name = s.nameExpression() == null ? null : compiler.compile(who + " recipient name", s.nameExpression());
      Map<String, CompiledExpression> params = new LinkedHashMap<>();
      s.params().forEach((k, v) -> params.put(k, compiler.compile(who + " recipient query param '" + k + "'", v)));
      recips.add(new CompiledRule.CompiledRecipients(s, phone, name, params));
    }
    CompiledExpression dedupe = r.dedupeKey().map(d -> compiler.compile(who + " dedupe key", d, Set.of("recipient"))).orElse(null);
    CompiledExpression at = r.schedule().type() == Schedule.Type.AT ? compiler.compile(who + " schedule", r.schedule().atExpression()) : null;
    return new CompiledRule(r, cond, Map.copyOf(ctx).isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(ctx), List.copyOf(recips), dedupe, at);
  }
}
