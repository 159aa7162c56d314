package dev.notify.core.internal.metrics;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the engine reports as meters. {@link #noop()} when the host gave no meter registry;
 * {@link #create(Object)} for a Micrometer {@code MeterRegistry}.
 *
 * <p>Meter names: {@code notify.sent} (tags provider, rule), {@code notify.failed} (tags provider, rule, code),
 * {@code notify.skipped} (tag reason), {@code notify.queue.depth} (gauge), {@code notify.dispatch.latency}
 * (timer). A null tag value is reported as {@code none}.
 *
 * <p>Implementations are thread-safe and never throw from a recording method.
 */
public interface NotifyMetrics {

  /** A message was accepted by {@code provider} for {@code rule} (null for a campaign without rule). */
  void sent(String provider, String rule);

  /** A message failed for good; {@code code} is the provider error code or reason. */
  void failed(String provider, String rule, String code);

  /** A notification was skipped (e.g. {@code blacklisted}, {@code invalid_phone}). */
  void skipped(String reason);

  /** Time from an entry being due to its outcome. */
  void dispatchLatency(Duration latency);

  /** Reports {@code depth} (PENDING entries due now) as the queue-depth gauge; read when the registry polls. */
  void registerQueueDepth(Supplier<Number> depth);

  /**
   * Removes the meters that read this engine's state (the queue-depth gauge) from the registry, so that an engine
   * built later on the same registry (a context refresh) reports its own. Counters and timers stay: they are
   * shared by name and tags, and keep counting for the next engine.
   */
  void close();

  /** Records nothing. */
  static NotifyMetrics noop() {
    return NoopMetrics.INSTANCE;
  }

  /**
   * Metrics backed by Micrometer.
   *
   * @param meterRegistry an {@code io.micrometer.core.instrument.MeterRegistry}
   * @throws IllegalArgumentException if it is not one, or micrometer-core is not on the classpath
   */
  static NotifyMetrics create(Object meterRegistry) {
    if (meterRegistry == null) throw new IllegalArgumentException("meter registry must not be null");
    Class<?> registryType;
    try {
      registryType = Class.forName("io.micrometer.core.instrument.MeterRegistry", false, NotifyMetrics.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("cannot use meter registry " + meterRegistry.getClass().getName()
          + ": micrometer-core (io.micrometer.core.instrument.MeterRegistry) is not on the classpath");
    }
    if (!registryType.isInstance(meterRegistry)) {
      throw new IllegalArgumentException("meter registry must be an io.micrometer.core.instrument.MeterRegistry, got "
          + meterRegistry.getClass().getName());
    }
    return MicrometerMetrics.of(meterRegistry);
  }
}
