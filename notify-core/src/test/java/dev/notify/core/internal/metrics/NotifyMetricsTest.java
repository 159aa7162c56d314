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

  /** Before, the timer measured only the send (about nothing here), not the 30 s the entry waited after being due. */
  @Test
  void dispatchLatency_countsFromWhenTheEntryWasDue() {
    dev.notify.core.testing.MutableClock clock = new dev.notify.core.testing.MutableClock(java.time.Instant.parse("2026-03-02T02:00:00Z"));
    try (dev.notify.core.NotificationEngine engine = dev.notify.core.NotificationEngine.builder().clock(clock)
        .environment(k -> null).provider(new dev.notify.core.RecordingProvider()).backgroundDispatch(false).backgroundJobs(false)
        .meterRegistry(registry).trigger(dev.notify.core.Trigger.manual("m").build())
        .template(dev.notify.core.MessageTemplate.of("t", "hi"))
        .rule(dev.notify.core.Rule.builder("r").trigger("m").recipients(dev.notify.core.Recipients.of("081234567890")).template("t").build())
        .build().start()) {
      engine.fire("m", java.util.Map.of(), java.util.Map.of());
      clock.advance(Duration.ofSeconds(30));

      engine.dispatchNow();
    }

    Timer timer = registry.get("notify.dispatch.latency").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(30.0);
  }

  /** Before, the meter counted a fire's skips but none of a campaign's. */
  @Test
  void campaignSkips_areCountedByTheSkippedMeter() {
    try (dev.notify.core.NotificationEngine engine = dev.notify.core.NotificationEngine.builder()
        .environment(k -> null).provider(new dev.notify.core.RecordingProvider()).backgroundDispatch(false).backgroundJobs(false)
        .meterRegistry(registry).template(dev.notify.core.MessageTemplate.of("t", "hi"))
        .targetSource("people", p -> java.util.stream.Stream.of(java.util.Map.of("phone", "081234567890"), java.util.Map.of("phone", "12")))
        .build().start()) {
      String id = engine.campaigns().create(dev.notify.core.CampaignSpec.builder("c").template("t").targets("people").build());

      engine.campaigns().start(id);
    }

    assertThat(registry.get("notify.skipped").tag("reason", "invalid_phone").counter().count()).isEqualTo(1.0);
  }

  /**
   * Before, the gauge of a closed engine stayed registered and Micrometer handed it back to the next engine: after a
   * context refresh on the same registry, notify.queue.depth read the closed engine's queue.
   */
  @Test
  void queueDepthGauge_ofAnEngineBuiltAfterAnotherWasClosedOnTheRegistry_readsTheNewEngine() {
    try (dev.notify.core.NotificationEngine first = engineOn(registry)) {
      first.fire("m", java.util.Map.of(), java.util.Map.of());
    }

    try (dev.notify.core.NotificationEngine second = engineOn(registry)) {
      second.fire("m", java.util.Map.of(), java.util.Map.of());
      second.fire("m", java.util.Map.of(), java.util.Map.of());

      assertThat(registry.get("notify.queue.depth").gauge().value()).isEqualTo(2.0);
    }
    assertThat(registry.find("notify.queue.depth").gauge()).isNull();
  }

  @Test
  void close_removesOnlyTheQueueDepthGauge() {
    metrics.registerQueueDepth(() -> 3);
    metrics.sent("meta", "expiry");

    metrics.close();

    assertThat(registry.find("notify.queue.depth").gauge()).isNull();
    assertThat(registry.get("notify.sent").counter().count()).isEqualTo(1.0);
  }

  /** Before, an engine started while another was open reported no queue depth at all once the other closed. */
  @Test
  void engineStartedWhileAnotherWasOpen_reportsItsQueueOnceTheOtherCloses() {
    dev.notify.core.NotificationEngine first = engineOn(registry);
    try (dev.notify.core.NotificationEngine second = engineOn(registry)) {
      first.close();
      second.fire("m", java.util.Map.of(), java.util.Map.of());

      assertThat(registry.get("notify.queue.depth").gauge().value()).isEqualTo(1.0);
    }
    assertThat(registry.find("notify.queue.depth").gauge()).as("removed with the last engine").isNull();
  }

  /** On a registry whose filter renames meters, close() removes the gauge it registered (a lookup by name found none). */
  @Test
  void close_removesTheGaugeOnARegistryThatRenamesMeters() {
    SimpleMeterRegistry renaming = new SimpleMeterRegistry();
    renaming.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
      @Override public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
        return id.withName("app." + id.getName());
      }
    });
    NotifyMetrics first = NotifyMetrics.create(renaming);
    first.registerQueueDepth(() -> 5);
    first.close();

    NotifyMetrics second = NotifyMetrics.create(renaming);
    second.registerQueueDepth(() -> 7);

    assertThat(renaming.get("app.notify.queue.depth").gauge().value()).isEqualTo(7.0);
    second.close();
  }

  private static dev.notify.core.NotificationEngine engineOn(SimpleMeterRegistry registry) {
    return dev.notify.core.NotificationEngine.builder().clock(java.time.Clock.fixed(java.time.Instant.parse("2026-03-02T02:00:00Z"), java.time.ZoneOffset.UTC))
        .environment(k -> null).provider(new dev.notify.core.RecordingProvider()).backgroundDispatch(false).backgroundJobs(false)
        .meterRegistry(registry).trigger(dev.notify.core.Trigger.manual("m").build())
        .template(dev.notify.core.MessageTemplate.of("t", "hi"))
        .rule(dev.notify.core.Rule.builder("r").trigger("m").recipients(dev.notify.core.Recipients.of("081234567890")).template("t").build())
        .build().start();
  }
}
