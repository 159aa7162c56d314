package dev.notify.core;

import dev.notify.core.internal.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to send, to whom and when, for a trigger. Immutable; build with {@link #builder(String)}.
 * Expressions (condition, context, recipients, dedupe key, schedule AT) are checked by the sandbox when
 * the rule is registered with an engine, not here.
 */
public final class Rule {
  /** Default priority; higher is sent first. */
  public static final int DEFAULT_PRIORITY = 5;
  /** Default number of retries after the first attempt. */
  public static final int DEFAULT_MAX_RETRIES = 3;

  private final String name;
  private final boolean active;
  private final String trigger;
  private final String condition;
  private final String templateKey;
  private final List<RecipientSpec> recipients;
  private final Map<String, String> context;
  private final String contextPreparer;
  private final Schedule schedule;
  private final int priority;
  private final int maxRetries;
  private final RateLimit rateLimit;
  private final boolean respectBlacklist;
  private final String dedupeKey;
  private final Duration dedupeWindow;
  private final QuietHours quietHours;
  private final List<String> providers;

  private Rule(Builder b) {
    this.name = b.name;
    this.active = b.active;
    this.trigger = b.trigger;
    this.condition = b.condition;
    this.templateKey = b.templateKey;
    this.recipients = List.copyOf(b.recipients);
    this.context = Collections.unmodifiableMap(new LinkedHashMap<>(b.context));
    this.contextPreparer = b.contextPreparer;
    this.schedule = b.schedule;
    this.priority = b.priority;
    this.maxRetries = b.maxRetries;
    this.rateLimit = b.rateLimit;
    this.respectBlacklist = b.respectBlacklist;
    this.dedupeKey = b.dedupeKey;
    this.dedupeWindow = b.dedupeWindow;
    this.quietHours = b.quietHours;
    this.providers = List.copyOf(b.providers);
  }

  public static Builder builder(String name) { return new Builder(name); }

  public String name() { return name; }
  public boolean active() { return active; }
  /** The code of the trigger this rule listens to. */
  public String trigger() { return trigger; }
  public Optional<String> condition() { return Optional.ofNullable(condition); }
  public String templateKey() { return templateKey; }
  public List<RecipientSpec> recipients() { return recipients; }
  /** Template variable name → MVEL expression, in declaration order. */
  public Map<String, String> context() { return context; }
  /** Name of a {@code ContextPreparer} registered on the engine, if any. */
  public Optional<String> contextPreparer() { return Optional.ofNullable(contextPreparer); }
  public Schedule schedule() { return schedule; }
  public int priority() { return priority; }
  public int maxRetries() { return maxRetries; }
  public Optional<RateLimit> rateLimit() { return Optional.ofNullable(rateLimit); }
  public boolean respectBlacklist() { return respectBlacklist; }
  /** MVEL yielding the dedupe key; an event that yields a key seen within the window queues nothing. */
  public Optional<String> dedupeKey() { return Optional.ofNullable(dedupeKey); }
  public Duration dedupeWindow() { return dedupeWindow; }
  public Optional<QuietHours> quietHours() { return Optional.ofNullable(quietHours); }
  /** Ordered provider ids to route through; empty means the engine's providers. */
  public List<String> providers() { return providers; }

  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.active = active; b.trigger = trigger; b.condition = condition; b.templateKey = templateKey;
    b.recipients.addAll(recipients); b.context.putAll(context); b.contextPreparer = contextPreparer;
    b.schedule = schedule; b.priority = priority; b.maxRetries = maxRetries; b.rateLimit = rateLimit;
    b.respectBlacklist = respectBlacklist; b.dedupeKey = dedupeKey; b.dedupeWindow = dedupeWindow;
    b.quietHours = quietHours; b.providers.addAll(providers);
    return b;
  }

  @Override public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Rule)) return false;
    Rule r = (Rule) o;
    return active == r.active && priority == r.priority && maxRetries == r.maxRetries
        && respectBlacklist == r.respectBlacklist && name.equals(r.name) && trigger.equals(r.trigger)
        && Objects.equals(condition, r.condition) && templateKey.equals(r.templateKey)
        && recipients.equals(r.recipients) && context.equals(r.context)
        && Objects.equals(contextPreparer, r.contextPreparer) && schedule.equals(r.schedule)
        && Objects.equals(rateLimit, r.rateLimit) && Objects.equals(dedupeKey, r.dedupeKey)
        && Objects.equals(dedupeWindow, r.dedupeWindow) && Objects.equals(quietHours, r.quietHours)
        && providers.equals(r.providers);
  }

  @Override public int hashCode() { return Objects.hash(name, trigger, templateKey, condition); }

  @Override public String toString() { return "Rule{" + name + " on " + trigger + " → " + templateKey + "}"; }

  /** Mutable builder; each setter validates its value. */
  public static final class Builder {
    private final String name;
    private boolean active = true;
    private String trigger;
    private String condition;
    private String templateKey;
    private final List<RecipientSpec> recipients = new ArrayList<>();
    private final Map<String, String> context = new LinkedHashMap<>();
    private String contextPreparer;
    private Schedule schedule = Schedule.immediate();
    private int priority = DEFAULT_PRIORITY;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private RateLimit rateLimit;
    private boolean respectBlacklist = true;
    private String dedupeKey;
    private Duration dedupeWindow = Duration.ofHours(24);
    private QuietHours quietHours;
    private final List<String> providers = new ArrayList<>();

    private Builder(String name) { this.name = Check.name(name, "rule name"); }

    private String what(String setting) { return "rule '" + name + "' " + setting; }

    public Builder active(boolean active) { this.active = active; return this; }
    public Builder trigger(String triggerCode) { this.trigger = Check.name(triggerCode, what("trigger")); return this; }
    public Builder condition(String mvel) { this.condition = Check.notBlank(mvel, what("condition")); return this; }
    public Builder template(String templateKey) { this.templateKey = Check.name(templateKey, what("template")); return this; }

    /** Adds recipients (several calls add up). */
    public Builder recipients(RecipientSpec... specs) {
      for (RecipientSpec s : specs) recipients.add(Check.notNull(s, what("recipient")));
      return this;
    }

    /** Adds a template variable computed by an MVEL expression. */
    public Builder context(String variable, String mvel) {
      Check.notBlank(variable, what("context variable name"));
      if (context.containsKey(variable)) throw new IllegalStateException(what("context variable '" + variable + "' set twice"));
      context.put(variable, Check.notBlank(mvel, what("context '" + variable + "' expression")));
      return this;
    }

    public Builder contextPreparer(String preparerName) { this.contextPreparer = Check.notBlank(preparerName, what("context preparer")); return this; }
    public Builder schedule(Schedule schedule) { this.schedule = Check.notNull(schedule, what("schedule")); return this; }

    public Builder priority(int priority) {
      if (priority < 0 || priority > 10) throw new IllegalArgumentException(what("priority must be between 0 and 10, got " + priority));
      this.priority = priority;
      return this;
    }

    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 100) throw new IllegalArgumentException(what("maxRetries must be between 0 and 100, got " + maxRetries));
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder rateLimit(RateLimit limit) { this.rateLimit = Check.notNull(limit, what("rate limit")); return this; }
    public Builder respectBlacklist(boolean respect) { this.respectBlacklist = respect; return this; }

    /** An MVEL expression for the dedupe key and the window in which a repeated key queues nothing. */
    public Builder dedupe(String keyExpression, Duration window) {
      this.dedupeKey = Check.notBlank(keyExpression, what("dedupe key"));
      this.dedupeWindow = Check.positive(window, what("dedupe window"));
      return this;
    }

    public Builder quietHours(QuietHours quietHours) { this.quietHours = Check.notNull(quietHours, what("quiet hours")); return this; }

    /** Ordered provider ids; the next is used while the previous is failing. */
    public Builder providers(String... providerIds) {
      for (String p : providerIds) providers.add(Check.notBlank(p, what("provider id")));
      return this;
    }

    /** @throws InvalidDefinitionException when the trigger, template or recipients are missing */
    public Rule build() {
      if (trigger == null) throw new InvalidDefinitionException(what("needs a trigger"));
      if (templateKey == null) throw new InvalidDefinitionException(what("needs a template"));
      if (recipients.isEmpty()) throw new InvalidDefinitionException(what("needs at least one recipient"));
      return new Rule(this);
    }
  }
}
