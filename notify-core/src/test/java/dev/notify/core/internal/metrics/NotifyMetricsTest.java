package dev.notify.core.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NotifyMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final NotifyMetrics metrics = NotifyMetrics.create(registry);

  @Test
  void sent_countsByProviderAndRule() {
    metrics.sent("meta", "expiry");
    metrics.sent("meta", "expiry");
    metrics.sent("fonnte", "expiry");

    assertThat(registry.get("notify.sent").tags("provider", "meta", "rule", "expiry").counter().count()).isEqualTo(2.0);
    assertThat(registry.get("notify.sent").tags("provider", "fonnte", "rule", "expiry").counter().count()).isEqualTo(1.0);
  }

  @Test
  void failed_countsByProviderRuleAndCode_withNoneForAMissingRule() {
    metrics.failed("meta", null, "131026");

    assertThat(registry.get("notify.failed").tags("provider", "meta", "rule", "none", "code", "131026").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void skipped_countsByReason() {
    metrics.skipped("blacklisted");
    metrics.skipped("blacklisted");
    metrics.skipped("invalid_phone");

    assertThat(registry.get("notify.skipped").tag("reason", "blacklisted").counter().count()).isEqualTo(2.0);
    assertThat(registry.get("notify.skipped").tag("reason", "invalid_phone").counter().count()).isEqualTo(1.0);
  }

  @Test
  void queueDepthGauge_readsTheSupplierWhenPolled() {
    AtomicLong depth = new AtomicLong(3);
    metrics.registerQueueDepth(depth::get);

    assertThat(registry.get("notify.queue.depth").gauge().value()).isEqualTo(3.0);
    depth.set(11);
    assertThat(registry.get("notify.queue.depth").gauge().value()).isEqualTo(11.0);
  }

  @Test
  void dispatchLatency_isRecordedInTheTimer() {
    metrics.dispatchLatency(Duration.ofMillis(120));
    metrics.dispatchLatency(Duration.ofMillis(80));

    Timer timer = registry.get("notify.dispatch.latency").timer();
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200.0);
  }

  @Test
  void create_withSomethingOtherThanAMeterRegistry_namesItsClass() {
    assertThatThrownBy(() -> NotifyMetrics.create("registry"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("meter registry must be an io.micrometer.core.instrument.MeterRegistry, got java.lang.String");
  }

  @Test
  void create_withoutMicrometerOnTheClasspath_explainsWhatIsMissing() throws Exception {
    // notify-core's classes alone, without Micrometer (or anything but the JDK) visible.
    URL classes = NotifyMetrics.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader bare = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Method create = bare.loadClass(NotifyMetrics.class.getName()).getMethod("create", Object.class);

      assertThatThrownBy(() -> create.invoke(null, registry))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot use meter registry io.micrometer.core.instrument.simple.SimpleMeterRegistry: "
              + "micrometer-core (io.micrometer.core.instrument.MeterRegistry) is not on the classpath");
    }
  }
}
