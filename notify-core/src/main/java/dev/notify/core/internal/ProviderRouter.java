package dev.notify.core.internal;

import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the provider for a send from an ordered list: the first whose circuit is closed. A circuit opens
 * after {@code failureThreshold} retryable failures in a row and lets one trial through after
 * {@code openFor}; a success closes it. So sends move to the next provider while the first is failing,
 * and come back when it recovers. Every {@link Pick} ends with {@link #report} (the provider was called) or
 * {@link #release} (it was not): a trial that ended neither way would keep the circuit half-open for good.
 */
public final class ProviderRouter {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderRouter.class);

  private final Map<String, WhatsAppProvider> providers;
  private final List<String> defaultOrder;
  private final Map<String, Circuit> circuits = new LinkedHashMap<>();
  private final Clock clock;
  private final int failureThreshold;
  private final Duration openFor;

  public ProviderRouter(Map<String, WhatsAppProvider> providers, Clock clock, int failureThreshold, Duration openFor) {
    this.providers = new LinkedHashMap<>(providers);
    this.defaultOrder = List.copyOf(providers.keySet());
    this.clock = clock;
    this.failureThreshold = Check.positive(failureThreshold, "circuit failure threshold");
    this.openFor = Check.positive(openFor, "circuit open duration");
    for (String id : providers.keySet()) circuits.put(id, new Circuit());
  }

  public boolean has(String id) { return providers.containsKey(id); }

  public Optional<WhatsAppProvider> get(String id) { return Optional.ofNullable(providers.get(id)); }

  public List<WhatsAppProvider> all() { return new ArrayList<>(providers.values()); }

  /**
   * A provider picked for one send; {@code trial} when it is the one trial of a half-open circuit.
   *
   * @param provider the provider to call
   * @param trial whether this pick holds the circuit's trial
   */
  public record Pick(WhatsAppProvider provider, boolean trial) {}

  /**
   * The provider to use, or empty when every candidate's circuit is open (then {@link #retryAt} says when
   * to come back). The caller ends the pick with {@link #report} or {@link #release}.
   */
  public Optional<Pick> choose(List<String> order) {
    List<String> ids = order.isEmpty() ? defaultOrder : order;
    Instant now = clock.instant();
    for (String id : ids) {
      Boolean trial = circuits.get(id).allows(now);
      if (trial != null) return Optional.of(new Pick(providers.get(id), trial));
    }
    return Optional.empty();
  }

  /**
   * When to try again after {@link #choose} found nothing: the earliest instant a circuit among {@code order} lets
   * a trial through, and at least a second from now (while a trial is in flight that instant has passed, and an
   * entry put off to it would be claimed again at once, over and over, until the trial's send returns).
   */
  public Instant retryAt(List<String> order) {
    List<String> ids = order.isEmpty() ? defaultOrder : order;
    Instant earliest = clock.instant().plusSeconds(1);
    Instant best = null;
    for (String id : ids) {
      Instant at = circuits.get(id).openUntil();
      if (best == null || at.isBefore(best)) best = at;
    }
    return best == null || best.isBefore(earliest) ? earliest : best;
  }

  /**
   * Tells the circuit how a send through {@code pick} ended: accepted or refused for good (the provider answered),
   * refused for this recipient only (it answered too), or failed otherwise (counts towards opening the circuit).
   */
  public void report(Pick pick, SendResult result) {
    String id = pick.provider().id();
    if (result instanceof SendResult.Retryable && !((SendResult.Retryable) result).recipientOnly()) onRetryableFailure(id);
    else onSuccess(id);
  }

  /** Ends a pick whose provider was not called (the entry was put off, or the call could not start). */
  public void release(Pick pick) {
    if (pick.trial()) circuits.get(pick.provider().id()).trialUnused();
  }

  public void onSuccess(String id) { circuits.get(id).success(id); }

  public void onRetryableFailure(String id) { circuits.get(id).failure(id, clock.instant()); }

  /** Whether the circuit of {@code id} is open now. */
  public boolean isOpen(String id) { return !circuits.get(id).closedOrTrialAllowed(clock.instant()); }

  private final class Circuit {
    private int failures;
    private Instant openUntil = Instant.MIN;
    private boolean trialInFlight;

    /** null: not now; false: closed; true: this caller holds the half-open circuit's one trial. */
    synchronized Boolean allows(Instant now) {
      if (failures < failureThreshold) return false;
      if (now.isBefore(openUntil) || trialInFlight) return null;
      trialInFlight = true; // half-open: one trial
      return true;
    }

    /** Whether a send may go through now, taking nothing. */
    synchronized boolean closedOrTrialAllowed(Instant now) {
      return failures < failureThreshold || (!now.isBefore(openUntil) && !trialInFlight);
    }

    synchronized void trialUnused() { trialInFlight = false; }

    synchronized Instant openUntil() { return openUntil; }

    synchronized void success(String id) {
      if (failures >= failureThreshold) LOG.info("provider '{}' recovered; circuit closed", id);
      failures = 0;
      trialInFlight = false;
    }

    synchronized void failure(String id, Instant now) {
      failures++;
      trialInFlight = false;
      if (failures >= failureThreshold) {
        openUntil = now.plus(openFor);
        if (failures == failureThreshold) LOG.warn("provider '{}' failed {} times in a row; circuit open for {}", id, failures, openFor);
      }
    }
  }
}
