package dev.notify.core.internal.campaign;

import dev.notify.core.Campaign;
import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.FireResult;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import dev.notify.core.internal.CompiledRule;
import dev.notify.core.internal.FirePlan;
import dev.notify.core.internal.Ids;
import dev.notify.core.internal.Phones;
import dev.notify.core.internal.expr.RecordViews;
import dev.notify.core.spi.NewEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the targets of one batch into queue entries and skip logs. A target goes through the campaign's
 * rule (as its {@code record}), or, for a bare template, is addressed by itself: a {@link Recipient}, a
 * phone number string, or a record with a {@code phone} and optional {@code name} field whose other fields
 * are the template values.
 *
 * <p>Each entry carries the dedupe key {@code campaign|<id>|<phone>}: a number appearing again later in
 * the campaign, or a batch re-read after a crash, is dropped by the store rather than queued twice.
 */
final class TargetPlanner {
  /** How long a campaign's dedupe keys block a second entry for the same number. */
  static final Duration DEDUPE_WINDOW = Duration.ofDays(400);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TargetPlanner.class);
  static final String IN_ADDRESS_BOOK = "in_address_book";
  static final String INVALID_PHONE = "invalid_phone";
  static final String NO_PHONE = "no_phone";
  static final String TARGET_ERROR = "target_error";

  private final CampaignRuntime runtime;
  private final Campaign campaign;
  private final CompiledRule rule;
  private final Trigger trigger;
  private final Instant now;
  private final Map<String, String> params;
  private final Instant dedupeUntil;
  private final FirePlan plan = new FirePlan();
  /** Numbers seen in this batch so far. */
  private final Set<String> phones = new HashSet<>();

  TargetPlanner(CampaignRuntime runtime, Campaign campaign, CompiledRule rule, Trigger trigger, Instant now) {
    this.runtime = runtime;
    this.campaign = campaign;
    this.rule = rule;
    this.trigger = trigger;
    this.now = now;
    this.params = campaign.targetParams();
    this.dedupeUntil = now.plus(DEDUPE_WINDOW);
  }

  static String dedupeKey(String campaignId, String e164) { return "campaign|" + campaignId + "|" + e164; }

  /** Plans one target. */
  void add(Object target) {
    if (target == null) {
      plan.logs.add(skipLog(null, null, NO_PHONE));
      return;
    }
    if (rule != null) {
      Map<String, Object> vars = runtime.fire().variables(trigger, target, null, params, now);
      Recipient fixed = target instanceof Recipient ? (Recipient) target : null;
      runtime.fire().planRule(rule, vars, target, params, now, campaign.id(), fixed, plan);
    } else {
      try {
        addBare(target);
      } catch (RuntimeException e) {
        // one target that cannot be read (a getter that throws) must not fail the batch: the cursor would not move,
        // and the same target would fail every batch of the campaign from then on
        LOG.warn("campaign '{}' ({}): a target could not be read and is skipped: {}", campaign.name(), campaign.id(), e.toString());
        plan.logs.add(skipLog(null, null, TARGET_ERROR));
      }
    }
  }

  private void addBare(Object target) {
    Recipient raw;
    Map<String, String> values = new LinkedHashMap<>();
    String subjectId = null;
    if (target instanceof Recipient) {
      raw = (Recipient) target;
    } else if (target instanceof CharSequence) {
      raw = Recipient.of(target.toString());
    } else {
      Object view = RecordViews.toValue(target);
      if (!(view instanceof Map)) {
        plan.logs.add(skipLog(null, null, NO_PHONE));
        return;
      }
      Map<?, ?> record = (Map<?, ?>) view;
      Object phone = record.get("phone");
      Object name = record.get("name");
      if (phone == null || phone.toString().isBlank()) {
        plan.logs.add(skipLog(null, name == null ? null : name.toString(), NO_PHONE));
        return;
      }
      // written like a context value: a spreadsheet's 6.28123456789E12 is "6281234567890"
      raw = new Recipient(stringOrNull(record.get("id")), name == null ? null : name.toString(),
          dev.notify.core.internal.FireProcessor.format(phone));
      subjectId = raw.id();
      for (Map.Entry<?, ?> e : record.entrySet()) {
        Object v = e.getValue();
        if (v instanceof CharSequence || v instanceof Number || v instanceof Boolean || v instanceof TemporalAccessor) {
          values.put(e.getKey().toString(), dev.notify.core.internal.FireProcessor.format(v));
        }
      }
    }
    Optional<String> e164 = runtime.phones().normalize(raw.phone());
    if (e164.isEmpty()) {
      plan.logs.add(skipLog(Phones.forLog(raw.phone()), raw.name(), INVALID_PHONE));
      return;
    }
    Recipient rcp = raw.withPhone(e164.get());
    if (rcp.name() != null) values.putIfAbsent("recipient_name", rcp.name());
    values.putIfAbsent("recipient_phone", rcp.phone());
    QueueEntry e = QueueEntry.builder()
        .id(Ids.next()).campaignId(campaign.id()).recipient(rcp).subject(null, subjectId)
        .templateKey(campaign.templateKey()).context(values).scheduledAt(now)
        .priority(Rule.DEFAULT_PRIORITY).maxRetries(Rule.DEFAULT_MAX_RETRIES).respectBlacklist(true)
        .dedupeKey(dedupeKey(campaign.id(), rcp.phone())).createdAt(now).updatedAt(now).build();
    plan.entries.add(new NewEntry(e, dedupeUntil));
  }

  /** Targets planned since the last {@link #drain()}. */
  int pending() { return plan.entries.size() + plan.logs.size(); }

  /**
   * Applies the address-book filter and the campaign's dedupe key to what the targets added since the last
   * call produced, and returns that part of the batch. A number already seen in an earlier part of this
   * batch counts as a duplicate.
   */
  Batch drain() {
    boolean filter = campaign.skipRecipientsInAddressBook();
    String templateOverride = rule != null ? campaign.templateKey() : null;
    List<NewEntry> entries = new ArrayList<>(plan.entries.size());
    List<DeliveryLog> logs = new ArrayList<>(plan.logs);
    long inAddressBook = 0;
    long duplicates = 0;
    for (NewEntry ne : plan.entries) {
      QueueEntry e = ne.entry();
      String phone = e.recipient().phone();
      if (!phones.add(phone)) {
        duplicates++;
        continue;
      }
      if (filter && runtime.addressBook().contains(phone)) {
        logs.add(new DeliveryLog(Ids.next(), null, e.ruleName(), campaign.id(), phone, e.recipient().name(),
            templateOverride != null ? templateOverride : e.templateKey(), EntryState.SKIPPED, IN_ADDRESS_BOOK,
            null, null, null, 0, 0, null, now));
        inAddressBook++;
        continue;
      }
      if (rule == null) {
        entries.add(ne); // built with the campaign's dedupe key
        continue;
      }
      QueueEntry.Builder b = e.toBuilder().dedupeKey(dedupeKey(campaign.id(), phone));
      if (templateOverride != null) b.templateKey(templateOverride);
      entries.add(new NewEntry(b.build(), dedupeUntil));
    }
    Map<String, Integer> ruleSkips = new HashMap<>();
    for (FireResult.Skip s : plan.skips) ruleSkips.merge(s.reason(), 1, Integer::sum);
    plan.entries.clear(); // drained: the part owns them now
    plan.logs.clear();
    plan.skips.clear();
    return new Batch(entries, logs, inAddressBook, duplicates, ruleSkips);
  }

  private DeliveryLog skipLog(String phone, String name, String reason) {
    return new DeliveryLog(Ids.next(), null, campaign.ruleName(), campaign.id(), phone, name, campaign.templateKey(),
        EntryState.SKIPPED, reason, null, null, null, 0, 0, null, now);
  }

  private static String stringOrNull(Object o) { return o == null ? null : o.toString(); }

  /**
   * One planned batch.
   *
   * @param entries entries to enqueue, each with the campaign's dedupe key
   * @param logs SKIPPED logs (invalid phone, no phone, in address book)
   * @param inAddressBook recipients skipped by the address-book filter
   * @param duplicates recipients dropped because the number appeared earlier in this batch
   * @param ruleSkips targets the rule produced nothing for, by reason (e.g. condition_false)
   */
  record Batch(List<NewEntry> entries, List<DeliveryLog> logs, long inAddressBook, long duplicates,
               Map<String, Integer> ruleSkips) {}
}
