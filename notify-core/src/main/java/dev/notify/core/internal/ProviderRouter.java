package dev.notify.core.internal;

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
 * and come back when it recovers.
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
   * The provider to use, or empty when every candidate's circuit is open (then {@link #retryAt} says when
   * to come back).
   */
  public Optional<WhatsAppProvider> choose(List<String> order) {
    List<String> ids = order.isEmpty() ? defaultOrder : order;
    Instant now = clock.instant();
    for (String id : ids) {
      if (circuits.get(id).allows(now)) return Optional.of(providers.get(id));
    }
    return Optional.empty();
  }

  /** The earliest instant a circuit among {@code order} lets a trial through. */
  public Instant retryAt(List<String> order) {
    List<String> ids = order.isEmpty() ? defaultOrder : order;
    Instant best = null;
    for (String id : ids) {
      Instant at = circuits.get(id).openUntil();
      if (best == null || at.isBefore(best)) best = at;
    }
    return best == null ? clock.instant() : best;
  }

  public void onSuccess(String id) { circuits.get(id).success(id); }

  public void onRetryableFailure(String id) { circuits.get(id).failure(id, clock.instant()); }

  /** Whether the circuit of {@code id} is open now. */
  public boolean isOpen(String id) { return !circuits.get(id).allows(clock.instant()); }

  private final class Circuit {
    private int failures;
    private Instant openUntil = Instant.MIN;
    private boolean trialInFlight;

    synchronized boolean allows(Instant now) {
      if (failures < failureThreshold) return true;
      if (now.isBefore(openUntil) || trialInFlight) return false;
      trialInFlight = true; // half-open: one trial
      return true;
    }

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
