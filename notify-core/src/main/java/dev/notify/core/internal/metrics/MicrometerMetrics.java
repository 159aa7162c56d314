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
  /**
   * One registry's queue-depth gauge and the sources of the engines open on it, oldest first: the gauge reads the
   * first, and is removed (as registered: a MeterFilter may rename it) when the last engine closes (Micrometer hands
   * back a gauge already registered under the name).
   */
  private static final class SharedGauge {
    final java.util.Deque<Supplier<Number>> open = new java.util.ArrayDeque<>();
    Gauge gauge;
  }

  /** Per registry, its shared gauge; the lock for every {@link SharedGauge} and {@link #queueDepth}. */
  private static final java.util.Map<MeterRegistry, SharedGauge> SHARED = new java.util.WeakHashMap<>();
  private Supplier<Number> queueDepth; // this engine's source while registered; guarded by SHARED

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
   * One gauge per registry reads the queue of the oldest engine open on it; when that engine closes, the next one's
   * (before, an engine started while another was open reported nothing once the other closed).
   */
  @Override
  public void registerQueueDepth(Supplier<Number> depth) {
    synchronized (SHARED) {
      if (queueDepth != null) return; // a start() that failed part way, called again
      SharedGauge shared = SHARED.computeIfAbsent(registry, r -> new SharedGauge());
      if (shared.open.isEmpty()) {
        shared.gauge = Gauge.builder(QUEUE_DEPTH, shared.open, MicrometerMetrics::readOldest)
            .description("PENDING queue entries that are due")
            .strongReference(true)
            .register(registry);
      } else {
        log.warn("{} is already reported on this meter registry for another engine that is open: it shows that "
            + "engine's queue until it closes, then this one's", QUEUE_DEPTH);
      }
      shared.open.addLast(depth);
      queueDepth = depth;
    }
  }

  @Override
  public void close() {
    synchronized (SHARED) {
      if (queueDepth == null) return;
      SharedGauge shared = SHARED.get(registry);
      if (shared != null) {
        shared.open.remove(queueDepth);
        if (shared.open.isEmpty()) {
          SHARED.remove(registry);
          registry.remove(shared.gauge);
        }
      }
      queueDepth = null;
    }
  }

  private static double readOldest(java.util.Deque<Supplier<Number>> open) {
    Supplier<Number> depth;
    synchronized (SHARED) {
      depth = open.peekFirst();
    }
    return depth == null ? Double.NaN : read(depth);
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
