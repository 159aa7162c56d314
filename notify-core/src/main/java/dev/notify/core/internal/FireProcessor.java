package dev.notify.core.internal;

import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.FireResult;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.RecipientSpec;
import dev.notify.core.Rule;
import dev.notify.core.Schedule;
import dev.notify.core.Trigger;
import dev.notify.core.internal.expr.CompiledExpression;
import dev.notify.core.internal.expr.ExpressionCompiler;
import dev.notify.core.internal.expr.RecordViews;
import dev.notify.core.spi.ContextPreparer;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.RecipientDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an event into queue entries: trigger condition → each active rule's condition → context →
 * recipients (normalised to E.164) → dedupe key → schedule. Runs on the host's thread, so it never throws
 * for a rule's own problem: the rule is reported as skipped with its reason.
 */
public final class FireProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(FireProcessor.class);

  private final Definitions definitions;
  private final ExpressionCompiler compiler;
  private final Phones phones;
  private final Clock clock;
  private final ZoneId zone;
  private final RecipientDirectory directory;
  private final Map<String, ContextPreparer> preparers;
  private final Map<String, BatchSlot> batchSlots = new ConcurrentHashMap<>();

  public FireProcessor(Definitions definitions, ExpressionCompiler compiler, Phones phones, Clock clock, ZoneId zone,
                       RecipientDirectory directory, Map<String, ContextPreparer> preparers) {
    this.definitions = definitions;
    this.compiler = compiler;
    this.phones = phones;
    this.clock = clock;
    this.zone = zone;
    this.directory = directory;
    this.preparers = Map.copyOf(preparers);
  }

  /** Evaluates a trigger and all its rules for one record. */
  public FirePlan plan(CompiledTrigger ct, Object record, Object old, Map<String, ?> params, Instant now) {
    FirePlan plan = new FirePlan();
    Trigger t = ct.trigger();
    if (!t.active()) {
      plan.skips.add(new FireResult.Skip(t.code(), "inactive", "trigger '" + t.code() + "' is inactive"));
      return plan;
    }
    Map<String, Object> vars = variables(t, record, old, params, now);
    if (ct.condition() != null) {
      try {
        if (!compiler.evaluateCondition(ct.condition(), vars, "trigger '" + t.code() + "' condition")) {
          plan.skips.add(new FireResult.Skip(t.code(), "trigger_condition_false", "trigger '" + t.code() + "' condition is false"));
          return plan;
        }
      } catch (RuntimeException e) {
        LOG.warn("trigger '{}' condition failed: {}", t.code(), e.getMessage());
        plan.skips.add(new FireResult.Skip(t.code(), "error", e.getMessage()));
        return plan;
      }
    }
    List<CompiledRule> rules = definitions.rulesFor(t.code());
    if (rules.isEmpty()) {
      plan.skips.add(new FireResult.Skip(t.code(), "no_rules", "trigger '" + t.code() + "' has no rules"));
    }
    for (CompiledRule cr : rules) {
      planRule(cr, vars, record, params, now, null, null, plan);
    }
    return plan;
  }

  /** The expression variables for an event. */
  public Map<String, Object> variables(Trigger t, Object record, Object old, Map<String, ?> params, Instant now) {
    Map<String, Object> vars = new HashMap<>(8);
    vars.put("record", RecordViews.toValue(record));
    vars.put("old", old == null ? null : RecordViews.toValue(old));
    Map<String, Object> event = new HashMap<>(4);
    event.put("code", t == null ? null : t.code());
    event.put("type", t == null ? null : t.type().name());
    event.put("entity", t == null ? null : t.entity().orElse(null));
    vars.put("event", event);
    vars.put("params", params == null ? Map.of() : RecordViews.toValue(params));
    vars.put("now", ZonedDateTime.ofInstant(now, zone));
    vars.put("recipient", null);
    return vars;
  }

  /**
   * Evaluates one rule. {@code campaignId} and {@code fixedRecipient} serve campaigns: the target is the
   * recipient when the rule has no recipient of its own for it.
   */
  public void planRule(CompiledRule cr, Map<String, Object> vars, Object record, Map<String, ?> params, Instant now,
                       String campaignId, Recipient fixedRecipient, FirePlan plan) {
    Rule r = cr.rule();
    if (!r.active()) {
      plan.skips.add(new FireResult.Skip(r.name(), "inactive", "rule '" + r.name() + "' is inactive"));
      return;
    }
    try {
      if (cr.condition() != null && !compiler.evaluateCondition(cr.condition(), vars, "rule '" + r.name() + "' condition")) {
        plan.skips.add(new FireResult.Skip(r.name(), "condition_false", "rule '" + r.name() + "' condition is false"));
        return;
      }
      Map<String, String> context = context(cr, vars, record, params);
      List<Recipient> recipients = fixedRecipient != null ? List.of(fixedRecipient) : recipients(cr, vars);
      if (recipients.isEmpty()) {
        plan.skips.add(new FireResult.Skip(r.name(), "no_recipients", "rule '" + r.name() + "' resolved no recipients"));
        return;
      }
      Object recordView = vars.get("record");
      String subjectId = recordView instanceof Map ? stringOrNull(((Map<?, ?>) recordView).get("id")) : null;
      Object entity = ((Map<?, ?>) vars.get("event")).get("entity");
      Instant scheduledAt = scheduledAt(cr, vars, now);
      Set<String> seen = new HashSet<>();
      for (Recipient raw : recipients) {
        Optional<String> e164 = phones.normalize(raw.phone());
        if (e164.isEmpty()) {
          plan.skips.add(new FireResult.Skip(r.name(), "invalid_phone", "rule '" + r.name() + "': invalid phone " + Phones.mask(raw.phone())));
          plan.logs.add(new DeliveryLog(Ids.next(), null, r.name(), campaignId, Phones.forLog(raw.phone()), raw.name(), r.templateKey(),
              EntryState.SKIPPED, "invalid_phone", null, null, null, 0, 0, null, now));
          continue;
        }
        if (!seen.add(e164.get())) continue;
        Recipient rcp = raw.withPhone(e164.get());
        Map<String, String> values = context;
        if (!context.containsKey("recipient_name") || !context.containsKey("recipient_phone")) {
          values = new HashMap<>(context.size() * 2 + 4);
          if (rcp.name() != null) values.put("recipient_name", rcp.name());
          values.put("recipient_phone", rcp.phone());
          values.putAll(context);
        }
        String dedupe = null;
        Instant dedupeUntil = null;
        if (cr.dedupeKey() != null) {
          Map<String, Object> dv = new HashMap<>(vars);
          dv.put("recipient", RecordViews.toValue(Map.of("phone", rcp.phone(), "name", rcp.name() == null ? "" : rcp.name())));
          Object key = cr.dedupeKey().evaluate(dv);
          if (key == null) {
            // as the text "null", every such event of the recipient was one key: distinct events were dropped as
            // duplicates for the whole window
            plan.skips.add(new FireResult.Skip(r.name(), "dedupe_key_missing", "rule '" + r.name() + "': dedupe key '"
                + r.dedupeKey().orElseThrow() + "' has no value for " + Phones.mask(rcp.phone())));
            continue;
          }
          // the name's length first: rule "a|b" with key "c" and rule "a" with key "b|c" were one key (and a rule
          // named "campaign" could meet a campaign's "campaign|<id>|<phone>"); the phone, last, has no "|"
          dedupe = r.name().length() + ":" + r.name() + "|" + key + "|" + rcp.phone();
          dedupeUntil = now.plus(r.dedupeWindow());
        }
        QueueEntry e = QueueEntry.builder()
            .id(Ids.next()).ruleName(r.name()).campaignId(campaignId).recipient(rcp)
            .subject(entity == null ? null : entity.toString(), subjectId)
            .templateKey(r.templateKey()).context(values)
            .scheduledAt(r.schedule().type() == Schedule.Type.BATCH ? batchSlot(r, now) : scheduledAt)
            .priority(r.priority()).maxRetries(r.maxRetries()).respectBlacklist(r.respectBlacklist())
            .dedupeKey(dedupe).createdAt(now).updatedAt(now).build();
        plan.entries.add(new NewEntry(e, dedupeUntil));
      }
    } catch (RuntimeException e) {
      LOG.warn("rule '{}' failed to evaluate: {}", r.name(), e.getMessage());
      plan.skips.add(new FireResult.Skip(r.name(), "error", e.getMessage()));
    }
  }

  /** Template values from the rule's context expressions and/or its ContextPreparer. */
  public Map<String, String> context(CompiledRule cr, Map<String, Object> vars, Object record, Map<String, ?> params) {
    Map<String, String> out = new HashMap<>(cr.context().size() * 2 + 2);
    cr.rule().contextPreparer().ifPresent(name -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> p = params == null ? Map.of() : (Map<String, Object>) params;
      Map<String, ?> prepared = preparers.get(name).prepare(record, p);
      if (prepared != null) prepared.forEach((k, v) -> { if (v != null) out.put(k, format(v)); });
    });
    for (Map.Entry<String, CompiledExpression> e : cr.context().entrySet()) {
      Object v = e.getValue().evaluate(vars);
      if (v != null) out.put(e.getKey(), format(v));
    }
    return out;
  }

  private List<Recipient> recipients(CompiledRule cr, Map<String, Object> vars) {
    List<Recipient> out = new ArrayList<>(2);
    for (CompiledRule.CompiledRecipients c : cr.recipients()) {
      RecipientSpec s = c.spec();
      switch (s.type()) {
        case RECORD: {
          Object phone = c.phone().evaluate(vars);
          String name = c.name() == null ? null : stringOrNull(c.name().evaluate(vars));
          // a number as a context value is written: a spreadsheet's 6.28123456789E12 is "6281234567890"
          if (phone instanceof Collection) {
            // a blank element is skipped like a blank single value (before, it failed the rule for every recipient)
            for (Object p : (Collection<?>) phone) if (p != null && !p.toString().isBlank()) out.add(new Recipient(null, name, format(p)));
          } else if (phone != null && !phone.toString().isBlank()) {
            out.add(new Recipient(null, name, format(phone)));
          }
          break;
        }
        case GROUP:
          out.addAll(directory.group(s.group()));
          break;
        case CUSTOM: {
          Map<String, Object> p = new LinkedHashMap<>();
          c.params().forEach((k, ex) -> p.put(k, ex.evaluate(vars)));
          out.addAll(directory.query(s.group(), p));
          break;
        }
        case STATIC:
          for (String p : s.phones()) out.add(Recipient.of(p));
          break;
        default:
          break;
      }
    }
    return out;
  }

  private Instant scheduledAt(CompiledRule cr, Map<String, Object> vars, Instant now) {
    Schedule s = cr.rule().schedule();
    switch (s.type()) {
      case DELAYED:
        return now.plus(s.delay());
      case AT: {
        Instant at = toInstant(cr.at().evaluate(vars), cr.rule().name());
        return at.isBefore(now) ? now : at;
      }
      default:
        return now;
    }
  }

  private Instant toInstant(Object v, String rule) {
    if (v instanceof Instant) return (Instant) v;
    if (v instanceof ZonedDateTime) return ((ZonedDateTime) v).toInstant();
    if (v instanceof OffsetDateTime) return ((OffsetDateTime) v).toInstant();
    if (v instanceof LocalDateTime) return ((LocalDateTime) v).atZone(zone).toInstant();
    if (v instanceof LocalDate) return ((LocalDate) v).atStartOfDay(zone).toInstant();
    throw new IllegalArgumentException("rule '" + rule + "' schedule AT expression must yield a date or time, got "
        + (v == null ? "null" : v.getClass().getSimpleName()));
  }

  /** BATCH: the first batchSize entries are due now, the next batchSize one interval later, and so on. */
  private Instant batchSlot(Rule r, Instant now) {
    BatchSlot slot = batchSlots.computeIfAbsent(r.name(), k -> new BatchSlot());
    synchronized (slot) {
      if (slot.at == null || !slot.at.plus(r.schedule().interval()).isAfter(now)) {
        slot.at = now; // the previous batch's window is over: start a new one
        slot.used = 0;
      } else if (slot.used >= r.schedule().batchSize()) {
        slot.at = slot.at.plus(r.schedule().interval());
        slot.used = 0;
      }
      slot.used++;
      return slot.at;
    }
  }

  /**
   * Gives back the BATCH slot an entry took when the store did not queue it (a duplicate): a record fired again
   * and again would otherwise push every later entry of the rule intervals ahead. Only while that slot is the
   * current one; an older slot is over.
   */
  public void releaseBatchSlot(String ruleName, Instant slotAt) {
    if (ruleName == null) return;
    BatchSlot slot = batchSlots.get(ruleName);
    if (slot == null) return;
    synchronized (slot) {
      if (slotAt.equals(slot.at) && slot.used > 0) slot.used--;
    }
  }

  private static final class BatchSlot {
    Instant at;
    int used;
  }

  private static String stringOrNull(Object o) { return o == null ? null : o.toString(); }

  /**
   * A context value as message text. Numbers are written out in full, without a trailing ".0"
   * ({@code 15000000.0} → "15000000", not "1.5E7"), unless that takes more than {@value #MAX_PLAIN_ZEROS} zeros
   * the number does not hold itself: {@code new BigDecimal("1E999999999")} stays "1E+999999999" (written out, a
   * billion characters on the host's thread). Everything else as its {@code toString()}. No length limit beyond
   * that: a long text is the host's own value.
   */
  public static String format(Object v) {
    if (v instanceof Double d && Double.isFinite(d)) {
      java.math.BigDecimal exact = new java.math.BigDecimal(v.toString());
      // a fraction to 15 significant digits, all a double holds exactly: 1500000 * 1.1 is "1650000", not
      // "1650000.0000000002"; a whole number as it is (a 16-digit number read as a double keeps its last digit)
      if (d != Math.rint(d)) exact = exact.round(new java.math.MathContext(15));
      return plain(exact.stripTrailingZeros());
    }
    if (v instanceof Float f && Float.isFinite(f)) {
      return plain(new java.math.BigDecimal(v.toString()).stripTrailingZeros());
    }
    if (v instanceof java.math.BigDecimal b) return plain(b);
    return v.toString();
  }

  /** The most zeros {@link #format} writes out that a number does not hold among its own digits. */
  private static final int MAX_PLAIN_ZEROS = 100;

  /**
   * {@code b} without an exponent when that adds at most {@value #MAX_PLAIN_ZEROS} zeros (before its digits, as
   * in 0.000…1, or after them, as in 1000…0), else with one ({@code toString()}).
   */
  private static String plain(java.math.BigDecimal b) {
    int scale = b.scale();
    boolean bounded = scale <= 0 ? scale >= -MAX_PLAIN_ZEROS : scale - b.precision() <= MAX_PLAIN_ZEROS;
    return bounded ? b.toPlainString() : b.toString();
  }
}
