package dev.notify.examples.bench;

import dev.notify.core.spi.NotificationStore;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps a store and adds up the wall time, the calls and the items of each method (list arguments, or the
 * list a method returns when it takes none), to show where a benchmark's time goes and how big its batches are.
 */
final class TimedStore {
  private final Map<String, LongAdder[]> times;
  private final NotificationStore proxy;

  TimedStore(NotificationStore delegate) { this(delegate, new ConcurrentHashMap<>()); }

  /** Wraps {@code delegate}, adding to {@code times} (shared by several stores of one benchmark). */
  TimedStore(NotificationStore delegate, Map<String, LongAdder[]> times) {
    this.times = times;
    proxy = (NotificationStore) Proxy.newProxyInstance(NotificationStore.class.getClassLoader(),
        new Class<?>[] {NotificationStore.class}, (p, method, args) -> {
          long t0 = System.nanoTime();
          Object result = null;
          try {
            result = method.invoke(delegate, args);
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            LongAdder[] a = times.computeIfAbsent(method.getName(),
                k -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
            a[0].add(System.nanoTime() - t0);
            a[1].increment();
            a[2].add(items(args, result));
          }
        });
  }

  private static int items(Object[] args, Object result) {
    if (args != null) for (Object a : args) if (a instanceof List<?> l) return l.size();
    return result instanceof List<?> l ? l.size() : 0;
  }

  NotificationStore store() { return proxy; }

  /** Prints each method's calls, items per call and total time, and its share of {@code totalNanos}. */
  void report(PrintStream out, long totalNanos) { report(times, out, totalNanos); }

  static void report(Map<String, LongAdder[]> times, PrintStream out, long totalNanos) {
    out.println("time in the store (wall, per method; items = list size per call):");
    new TreeMap<>(times).forEach((m, a) -> {
      long n = a[0].sum();
      long calls = a[1].sum();
      if (n * 1000 < totalNanos) return; // under 0.1%
      out.printf(Locale.ROOT, "  %-24s %8d calls %9.2f s %5.1f%% %9.1f µs/call %7.1f items/call%n", m, calls, n / 1e9,
          100.0 * n / totalNanos, n / 1e3 / Math.max(1, calls), (double) a[2].sum() / Math.max(1, calls));
    });
  }
}
