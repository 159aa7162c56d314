package dev.notify.core.internal;

import dev.notify.core.BlacklistEntry;
import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import dev.notify.core.MessageTemplate;
import dev.notify.core.QueueEntry;
import dev.notify.core.QuietHours;
import dev.notify.core.RateLimit;
import dev.notify.core.StoreException;
import dev.notify.core.Rule;
import dev.notify.core.TemplateRenderException;
import dev.notify.core.internal.metrics.NotifyMetrics;
import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.TemplateRegistry;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Processes one claimed entry: blacklist → rate limits → quiet hours → render → provider → outcome.
 * Returns the {@link EntryUpdate} to store; never throws for a per-entry problem.
 */
public final class EntryProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(EntryProcessor.class);
  private static final int MAX_ERROR_LENGTH = 500;
  /** How long an entry is put off when a store call before its send failed. */
  static final Duration STORE_RETRY = Duration.ofSeconds(5);

  private final Definitions definitions;
  private final NotificationStore store;
  private final TemplateRegistry templates;
  private final ProviderRouter router;
  private final Backoff backoff;
  private final Clock clock;
  private final Map<String, Integer> providerMps;
  private final NotifyMetrics metrics;
  private final BlacklistView blacklist;
  /**
   * Per provider with a per-second limit and per priority: the next second this node hands to an entry the limit
   * refused. Per priority, so that an urgent entry refused once is not put behind a backlog of lower priority (the
   * claim order, priority first, then sends it before them).
   */
  private final Map<String, Slots> providerSlots = new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * Per rule and limit: the end of a window this node found full. A full window stays full until it ends, so its entries are
   * put off at once, without first taking a provider permit that another rule's entry could have used.
   */
  private final Map<String, Instant> fullRuleWindows = new java.util.concurrent.ConcurrentHashMap<>();

  /** Seconds handed out to refused entries, at most the provider's limit per second. */
  private static final class Slots {
    private long second;
    private int used;

    /** The next second with room, from the second after {@code now} on. */
    synchronized Instant next(Instant now, int perSecond) {
      long earliest = now.getEpochSecond() + 1;
      if (second < earliest) {
        second = earliest;
        used = 0;
      } else if (used >= perSecond) {
        second++;
        used = 0;
      }
      used++;
      return Instant.ofEpochSecond(second);
    }
  }

  public EntryProcessor(Definitions definitions, NotificationStore store, TemplateRegistry templates, ProviderRouter router,
                        Backoff backoff, Clock clock, Map<String, Integer> providerMps, Duration blacklistCacheTtl,
                        NotifyMetrics metrics) {
    this.definitions = definitions;
    this.store = store;
    this.templates = templates;
    this.router = router;
    this.backoff = backoff;
    this.clock = clock;
    this.providerMps = Map.copyOf(providerMps);
    this.metrics = metrics;
    this.blacklist = new BlacklistView(store, blacklistCacheTtl);
  }

  /** Forgets the cached blacklist (after a local add or remove). */
  public void invalidateBlacklist() { blacklist.invalidate(); }

  public EntryUpdate process(QueueEntry e, String owner) {
    long start = System.nanoTime();
    Instant now = clock.instant();
    MDC.put("notify.entry", e.id());
    if (e.ruleName() != null) MDC.put("notify.rule", e.ruleName());
    if (e.campaignId() != null) MDC.put("notify.campaign", e.campaignId());
    try {
      return doProcess(e, owner, now, start);
    } catch (StoreException ex) {
      // a store call before the send (blacklist, rate limits) failed: nothing was sent, so it is no attempt
      LOG.warn("entry {} to {} put off: the store failed before the send: {}", e.id(), Phones.mask(e.recipient().phone()),
          ex.toString());
      return postpone(e, owner, now, now.plus(STORE_RETRY), "store_unavailable");
    } catch (RuntimeException | Error ex) {
      // an Error too (a plug-in's missing class, a stack overflow in a template): escaping, it left the entry to be
      // claimed and to fail again after every lease, never counting an attempt; only the JVM's own failures escape
      if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) throw (Error) ex;
      LOG.warn("entry {} to {} failed unexpectedly: {}", e.id(), Phones.mask(e.recipient().phone()), ex.toString());
      return retryOrFail(e, owner, now, start, null, "internal_error", ex.toString(), null);
    } finally {
      MDC.remove("notify.entry");
      MDC.remove("notify.rule");
      MDC.remove("notify.campaign");
    }
  }

  private EntryUpdate doProcess(QueueEntry e, String owner, Instant now, long start) {
    Rule rule = null;
    if (e.ruleName() != null) {
      // the rule as the store holds it (read every few seconds), not as this node loaded it: every node sends by the
      // same quiet hours, rate limit and provider order, and none sends the entries of a rule deleted on another.
      // Before, a rule this node did not know was no limit at all, and a deleted one was still sent by nodes that knew it
      rule = definitions.storedRule(e.ruleName()).orElse(null);
      if (rule == null) {
        LOG.info("entry {} cancelled: its rule '{}' was deleted", e.id(), e.ruleName());
        return terminal(e, owner, now, start, EntryState.CANCELLED, "rule_deleted",
            "rule '" + e.ruleName() + "' was deleted after this entry was queued", null, null);
      }
    }
    String phone = e.recipient().phone();

    if (e.respectBlacklist()) {
      Optional<BlacklistEntry> b = blacklist.find(phone);
      if (b.isPresent()) {
        store.recordBlocked(phone, now);
        LOG.info("entry {} skipped: {} is blacklisted", e.id(), Phones.mask(phone));
        metrics.skipped("blacklisted");
        return terminal(e, owner, now, start, EntryState.SKIPPED, "blacklisted", b.get().reason(), null, null);
      }
    }

    if (rule != null && rule.quietHours().isPresent()) {
      QuietHours q = rule.quietHours().get();
      if (q.contains(now)) return postpone(e, owner, now, q.nextAllowed(now), "quiet_hours");
    }
    Optional<MessageTemplate> template = templates.find(e.templateKey());
    if (template.isEmpty()) {
      return failPermanently(e, owner, now, start, null, "unknown_template", "template '" + e.templateKey() + "' is not registered");
    }
    String text;
    try {
      text = template.get().render(e.context());
    } catch (TemplateRenderException ex) {
      return failPermanently(e, owner, now, start, null, "template_error", ex.getMessage());
    }

    List<String> order = rule == null ? List.of() : rule.providers();
    Optional<ProviderRouter.Pick> chosen = router.choose(order);
    if (chosen.isEmpty()) return postpone(e, owner, now, router.retryAt(order), "circuit_open");
    ProviderRouter.Pick pick = chosen.get();
    boolean reported = false;
    try {
      EntryUpdate u = send(e, owner, now, start, rule, template.get(), text, pick);
      reported = true;
      return u;
    } finally {
      // put off before the call, or the call threw an Error: a half-open circuit's trial must not stay taken for good
      if (!reported) router.release(pick);
    }
  }

  /** Takes the rate-limit permits and sends; reports the outcome to the circuit (a postponement returns first). */
  private EntryUpdate send(QueueEntry e, String owner, Instant now, long start, Rule rule, MessageTemplate template,
                           String text, ProviderRouter.Pick pick) {
    WhatsAppProvider provider = pick.provider();
    String phone = e.recipient().phone();
    RateLimit rl = rule == null ? null : rule.rateLimit().orElse(null);
    Instant window = rl == null ? null : windowStart(now, rl.period());
    // keyed by the limit too: a rule saved with a higher limit is not held back by what its old limit filled
    String ruleKey = rl == null ? null : rule.name() + '\u0000' + rl.count() + '\u0000' + rl.period();
    if (rl != null) {
      Instant fullUntil = fullRuleWindows.get(ruleKey);
      if (fullUntil != null && fullUntil.isAfter(now)) {
        router.release(pick);
        return postpone(e, owner, now, fullUntil, "rule_rate_limit");
      }
    }
    Integer mps = providerMps.get(provider.id());
    if (mps != null) {
      Instant second = windowStart(now, Duration.ofSeconds(1));
      if (!store.tryAcquire("provider:" + provider.id(), second, mps)) {
        router.release(pick);
        // each refused entry gets its own later second (at most the limit per second): put off to the next second
        // all together, a backlog was claimed and rewritten whole every second until it drained
        Instant at = providerSlots.computeIfAbsent(provider.id() + '\u0000' + e.priority(), k -> new Slots()).next(now, mps);
        return postpone(e, owner, now, at, "provider_rate_limit");
      }
    }
    // the rule's permit is taken last, right before the send: a permit taken by an entry that is then put off (an
    // open circuit, the provider's per-second limit) is not given back, and a rule window may last hours
    if (rl != null && !store.tryAcquire("rule:" + rule.name(), window, rl.count())) {
      router.release(pick);
      Instant end = window.plus(rl.period());
      fullRuleWindows.put(ruleKey, end);
      return postpone(e, owner, now, end, "rule_rate_limit");
    }

    OutboundMessage msg = new OutboundMessage(e.id(), phone, e.recipient().name(), text, e.templateKey(),
        template.mapping(provider.id()).orElse(null), e.context(), e.attempts() + 1);
    SendResult result;
    try {
      result = provider.send(msg);
      if (result == null) result = SendResult.retryable("null_result", "provider returned no result");
    } catch (RuntimeException ex) {
      result = SendResult.retryable("exception", ex.getClass().getSimpleName());
    }
    Instant done = clock.instant();
    router.report(pick, result);
    if (result instanceof SendResult.Accepted) {
      metrics.sent(provider.id(), e.ruleName());
      // from due to sent, as the meter says (before, only the send itself was timed: a backed-up queue looked fast)
      Duration sinceDue = Duration.between(e.scheduledAt(), done);
      metrics.dispatchLatency(sinceDue.isNegative() ? Duration.ZERO : sinceDue);
      return terminalSent(e, owner, done, start, provider.id(), ((SendResult.Accepted) result).externalId(), text);
    }
    if (result instanceof SendResult.Permanent) {
      SendResult.Permanent p = (SendResult.Permanent) result;
      return failPermanently(e, owner, done, start, provider.id(), p.code(), p.message());
    }
    SendResult.Retryable rt = (SendResult.Retryable) result;
    return retryOrFail(e, owner, done, start, provider.id(), rt.code(), rt.message(), rt.retryAfter());
  }

  static Instant windowStart(Instant now, Duration period) {
    long p = period.toMillis();
    long ms = now.toEpochMilli();
    return Instant.ofEpochMilli(ms - Math.floorMod(ms, p));
  }

  private EntryUpdate postpone(QueueEntry e, String owner, Instant now, Instant until, String why) {
    LOG.debug("entry {} postponed until {}: {}", e.id(), until, why);
    return new EntryUpdate(e.id(), owner, EntryState.PENDING, e.attempts(), until, e.lastError(), e.provider(),
        e.externalId(), now, null);
  }

  private EntryUpdate retryOrFail(QueueEntry e, String owner, Instant now, long start, String provider, String code,
                                  String message, Duration retryAfter) {
    int attempts = e.attempts() + 1;
    String error = truncate(code + ": " + message);
    if (attempts > e.maxRetries()) {
      LOG.warn("entry {} to {} failed after {} attempts: {}", e.id(), Phones.mask(e.recipient().phone()), attempts, error);
      metrics.failed(provider, e.ruleName(), code);
      return new EntryUpdate(e.id(), owner, EntryState.FAILED, attempts, e.scheduledAt(), error, provider, null, now,
          log(e, now, start, EntryState.FAILED, code, truncate(message), provider, null, attempts));
    }
    Instant next = now.plus(backoff.delay(attempts, retryAfter));
    LOG.info("entry {} to {} attempt {} failed ({}); retry at {}", e.id(), Phones.mask(e.recipient().phone()), attempts, error, next);
    return new EntryUpdate(e.id(), owner, EntryState.PENDING, attempts, next, error, provider, null, now, null);
  }

  private EntryUpdate failPermanently(QueueEntry e, String owner, Instant now, long start, String provider, String code, String message) {
    int attempts = provider == null ? e.attempts() : e.attempts() + 1;
    LOG.warn("entry {} to {} failed permanently: {}: {}", e.id(), Phones.mask(e.recipient().phone()), code, truncate(message));
    metrics.failed(provider, e.ruleName(), code);
    return new EntryUpdate(e.id(), owner, EntryState.FAILED, attempts, e.scheduledAt(), truncate(code + ": " + message),
        provider, null, now, log(e, now, start, EntryState.FAILED, code, truncate(message), provider, null, attempts));
  }

  private EntryUpdate terminalSent(QueueEntry e, String owner, Instant now, long start, String provider, String externalId, String body) {
    int attempts = e.attempts() + 1;
    return new EntryUpdate(e.id(), owner, EntryState.SENT, attempts, e.scheduledAt(), null, provider, externalId, now,
        log(e, now, start, EntryState.SENT, null, body, provider, externalId, attempts));
  }

  private EntryUpdate terminal(QueueEntry e, String owner, Instant now, long start, EntryState state, String reason,
                               String message, String provider, String externalId) {
    return new EntryUpdate(e.id(), owner, state, e.attempts(), e.scheduledAt(), null, provider, externalId, now,
        log(e, now, start, state, reason, message, provider, externalId, e.attempts()));
  }

  private DeliveryLog log(QueueEntry e, Instant now, long start, EntryState state, String reason, String message,
                          String provider, String externalId, int attempts) {
    long ms = (System.nanoTime() - start) / 1_000_000;
    return new DeliveryLog(Ids.next(), e.id(), e.ruleName(), e.campaignId(), e.recipient().phone(), e.recipient().name(),
        e.templateKey(), state, reason, message, provider, externalId, attempts, ms, null, now);
  }

  private static String truncate(String s) {
    if (s == null) return null;
    return s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH) + "…";
  }
}
