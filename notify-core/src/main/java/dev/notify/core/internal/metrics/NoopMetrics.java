package dev.notify.core.internal.metrics;

import java.time.Duration;
import java.util.function.Supplier;

/** Records nothing. */
enum NoopMetrics implements NotifyMetrics {
  INSTANCE;

  @Override public void sent(String provider, String rule) {}
  @Override public void failed(String provider, String rule, String code) {}
  @Override public void skipped(String reason) {}
  @Override public void dispatchLatency(Duration latency) {}
  @Override public void registerQueueDepth(Supplier<Number> depth) {}
  @Override public void close() {}

  @Override
  public String toString() {
    return "NotifyMetrics.noop()";
  }
}
