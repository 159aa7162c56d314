package dev.notify.core.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NotifyMetrics} on a Micrometer {@link MeterRegistry}. The only class that references Micrometer,
 * loaded only by {@link NotifyMetrics#create(Object)} once Micrometer is known to be present.
 */
final class MicrometerMetrics implements NotifyMetrics {
  private static final Logger log = LoggerFactory.getLogger(MicrometerMetrics.class);
  private static final String NONE = "none";
  private static final String QUEUE_DEPTH = "notify.queue.depth";

  private final MeterRegistry registry;
  private final Timer latency;
  private Gauge queueDepth; // the gauge this instance registered, removed by close(); guarded by this

  private MicrometerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.latency = Timer.builder("notify.dispatch.latency")
        .description("Time from a queue entry being due to its send being accepted")
        .register(registry);
  }

  /** Takes Object so callers need no Micrometer type. */
  static NotifyMetrics of(Object registry) {
    return new MicrometerMetrics((MeterRegistry) registry);
  }

  @Override
  public void sent(String provider, String rule) {
    Counter.builder("notify.sent").description("Messages accepted by a provider")
        .tag("provider", tag(provider)).tag("rule", tag(rule))
        .register(registry).increment();
  }

  @Override
  public void failed(String provider, String rule, String code) {
    Counter.builder("notify.failed").description("Messages that failed for good")
        .tag("provider", tag(provider)).tag("rule", tag(rule)).tag("code", tag(code))
        .register(registry).increment();
  }

  @Override
  public void skipped(String reason) {
    Counter.builder("notify.skipped").description("Notifications skipped, by reason")
        .tag("reason", tag(reason))
        .register(registry).increment();
  }

  @Override
  public void dispatchLatency(Duration d) {
    if (d == null || d.isNegative()) return;
    latency.record(d);
  }

  /**
   * Micrometer hands back a gauge already registered under the name instead of registering a new one: a gauge left
   * by an engine that is still open keeps reading that engine's queue, which is said once.
   */
  @Override
  public synchronized void registerQueueDepth(Supplier<Number> depth) {
    if (queueDepth != null) return; // a start() that failed part way, called again
    if (registry.find(QUEUE_DEPTH).gauge() != null) {
      log.warn("{} is already registered on this meter registry, by another engine that is not closed: it reports "
          + "that engine's queue, not this one's", QUEUE_DEPTH);
      return;
    }
    queueDepth = Gauge.builder(QUEUE_DEPTH, depth, MicrometerMetrics::read)
        .description("PENDING queue entries that are due")
        .strongReference(true)
        .register(registry);
  }

  @Override
  public synchronized void close() {
    if (queueDepth == null) return;
    registry.remove(queueDepth);
    queueDepth = null;
  }

  private static double read(Supplier<Number> depth) {
    try {
      Number n = depth.get();
      return n == null ? Double.NaN : n.doubleValue();
    } catch (RuntimeException e) {
      log.debug("notify.queue.depth could not be read: {}", e.toString());
      return Double.NaN;
    }
  }

  private static String tag(String value) {
    return value == null || value.isBlank() ? NONE : value;
  }
}
