package dev.notify.core.campaign;

import dev.notify.core.spi.TargetSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * A target source over a generated sequence of targets (so a test can hand out a million without holding
 * them) that records what the engine asked for: the offset of each call, how many targets each call pulled,
 * and how many streams were closed.
 */
public final class People implements TargetSource {
  private final long size;
  private final LongFunction<Object> target;
  private final List<Long> offsets = new CopyOnWriteArrayList<>();
  private final List<Integer> pulledPerCall = new CopyOnWriteArrayList<>();
  private final AtomicInteger closed = new AtomicInteger();

  private People(long size, LongFunction<Object> target) {
    this.size = size;
    this.target = target;
  }

  /** {@code size} targets, target {@code i} made by {@code target}. */
  public static People generated(long size, LongFunction<Object> target) { return new People(size, target); }

  /** Exactly these targets, in this order. */
  public static People of(List<?> targets) {
    List<Object> copy = new ArrayList<>(targets);
    return new People(copy.size(), i -> copy.get((int) i));
  }

  /** Target {@code i} as a record with a phone and a name: {@code 0812xxxxxxxx}, "Warga i". */
  public static Map<String, Object> person(long i) {
    return Map.of("id", "W-" + i, "phone", localPhone(i), "name", "Warga " + i);
  }

  /** The i-th test number as users write it. */
  public static String localPhone(long i) { return String.format("0812%08d", i); }

  /** The i-th test number in E.164. */
  public static String e164(long i) { return String.format("+62812%08d", i); }

  @Override public Stream<?> targets(Map<String, String> params) { return targets(params, 0); }

  @Override public Stream<?> targets(Map<String, String> params, long offset) {
    offsets.add(offset);
    int call = pulledPerCall.size();
    pulledPerCall.add(0);
    return Stream.iterate(offset, i -> i + 1).limit(Math.max(0, size - offset))
        .map(i -> {
          pulledPerCall.set(call, pulledPerCall.get(call) + 1);
          return target.apply(i);
        })
        .onClose(closed::incrementAndGet);
  }

  /** The offset of each call, in order. */
  public List<Long> offsets() { return List.copyOf(offsets); }

  /** How many targets each call pulled, in order. */
  public List<Integer> pulledPerCall() { return List.copyOf(pulledPerCall); }

  /** How many streams handed out were closed. */
  public int closedStreams() { return closed.get(); }

  /** How many streams were handed out. */
  public int calls() { return offsets.size(); }
}
