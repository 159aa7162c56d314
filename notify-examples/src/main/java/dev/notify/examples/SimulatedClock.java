package dev.notify.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's clock: it stands still until the demo moves it, so a whole office day runs in a second and
 * every run sends the same messages at the same (simulated) times. Hand it to
 * {@code NotificationEngine.builder().clock(...)}; a real host passes {@code Clock.systemUTC()} or leaves the
 * default. Thread-safe; {@link #withZone} views share the same time.
 */
public final class SimulatedClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  public SimulatedClock(Instant start, ZoneId zone) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), zone);
  }

  private SimulatedClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** Moves time forward. @throws IllegalArgumentException for a negative step */
  public void advance(Duration step) {
    if (step.isNegative()) throw new IllegalArgumentException("the simulated clock only moves forward, got " + step);
    now.updateAndGet(t -> t.plus(step));
  }

  @Override public Instant instant() { return now.get(); }

  @Override public ZoneId getZone() { return zone; }

  @Override public Clock withZone(ZoneId other) { return new SimulatedClock(now, other); }

  @Override public String toString() { return "SimulatedClock[" + now.get() + ", " + zone + "]"; }
}
