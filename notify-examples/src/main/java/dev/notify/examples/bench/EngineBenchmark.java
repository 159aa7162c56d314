package dev.notify.examples.bench;

import dev.notify.core.EntryState;
import dev.notify.core.InMemoryStore;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.Recipients;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import dev.notify.core.spi.NotificationStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * End-to-end throughput: {@code fire()} → queue → dispatch → SENT + DeliveryLog, with the recording
 * provider, plus fire() latency percentiles. Each run uses a fresh store and engine; the run ends when every
 * notification is SENT and its log is stored (engine.close() waits for in-flight completions).
 *
 * <pre>
 * mvn -q install -DskipTests
 * java -cp "$(cat notify-examples/target/classpath.txt):notify-examples/target/classes" \
 *   dev.notify.examples.bench.EngineBenchmark memory 200000 5
 * </pre>
 * or {@code mvn -q -pl notify-examples exec:java -Dexec.mainClass=dev.notify.examples.bench.EngineBenchmark -Dexec.args="memory 200000 5"}.
 * Stores: {@code memory}, {@code h2}, {@code postgres}, {@code mariadb} (JDBC ones via {@link BenchStores}).
 * Arguments: store, notifications, runs, fire threads, send workers, and optionally a fixed offered rate in
 * fires per second (latency below saturation; each fire's latency counts from its scheduled start).
 */
public final class EngineBenchmark {
  private EngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    String storeKind = args.length > 0 ? args[0] : "memory";
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int fireThreads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int workers = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    // optional: a fixed offered load (fires per second, all threads together) to measure fire() latency below
    // saturation; each fire's latency counts from when it was due to start, so a stall is not hidden
    double rate = args.length > 5 ? Double.parseDouble(args[5]) : 0;
    System.out.printf("EngineBenchmark store=%s notifications=%d runs=%d fireThreads=%d workers=%d rate=%s cores=%d java=%s%n",
        storeKind, count, runs, fireThreads, workers, rate > 0 ? String.format("%.0f/s", rate) : "unlimited", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    Supplier<NotificationStore> stores = BenchStores.forKind(storeKind);
    // warm-up: two untimed runs let the JIT compile the whole path (process CPU per notification still falls
    // during the second run on 2 cores). At a fixed rate they run at full speed with at least 20,000
    // notifications: 2 x 5,000 fires at 500/s left the C2 compiler using most of a core during the measured runs.
    // A third warm-up then runs at the rate: after full-speed warm-ups alone, the first measured run at a fixed
    // rate still used about twice the process CPU per notification of the runs after it.
    int warmupCount = rate > 0 ? Math.max(count, 20_000) : count;
    for (int i = 0; i < 2; i++) run(storeKind, stores, warmupCount, fireThreads, workers, 0, false);
    if (rate > 0) run(storeKind, stores, count, fireThreads, workers, rate, false);
    double[] rates = new double[runs];
    double[] p50 = new double[runs];
    double[] p99 = new double[runs];
    for (int i = 0; i < runs; i++) {
      Result r = run(storeKind, stores, count, fireThreads, workers, rate, true);
      rates[i] = r.perSecond;
      p50[i] = r.p50Micros;
      p99[i] = r.p99Micros;
      System.out.printf("run %d: %,.0f notifications/s end to end; fire() p50 %.1f µs, p99 %.1f µs; process CPU %.1f µs per notification%n",
          i + 1, r.perSecond, r.p50Micros, r.p99Micros, r.cpuMicrosPerNotification);
    }
    System.out.printf("MEDIAN: %,.0f notifications/s; fire() p50 %.1f µs, p99 %.1f µs%n", median(rates), median(p50), median(p99));
    dropBenchTables(storeKind); // leave the server as we found it
  }

  /** Drops the tables of earlier benchmark runs on a server store (prefix notify_b), or their H2 files. */
  static void dropBenchTables(String storeKind) {
    if (storeKind.equals("h2")) BenchStores.deleteH2Files();
    if (storeKind.equals("postgres")) BenchStores.dropBenchTables(System.getenv().getOrDefault("NOTIFY_BENCH_POSTGRES_URL", BenchStores.PG_DEFAULT));
    if (storeKind.equals("mariadb")) BenchStores.dropBenchTables(System.getenv().getOrDefault("NOTIFY_BENCH_MARIADB_URL", BenchStores.MARIA_DEFAULT));
  }

  record Result(double perSecond, double p50Micros, double p99Micros, double cpuMicrosPerNotification) {}

  static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }

  /** One run; {@code rate}: fires per second offered by all fire threads together, 0 for as fast as they can. */
  static Result run(String storeKind, Supplier<NotificationStore> stores, int count, int fireThreads, int workers, double rate,
      boolean report) throws Exception {
    dropBenchTables(storeKind); // each run starts on an empty database, not beside the last run's dead rows
    CountDownLatch sent = new CountDownLatch(count);
    RecordingProvider provider = new RecordingProvider().failWith(m -> {
      sent.countDown();
      return null;
    });
    NotificationStore store = stores.get();
    NotificationEngine engine = NotificationEngine.builder()
        .store(store)
        .provider(provider)
        .environment(k -> null)
        .workers(workers)
        .batchSize(512)
        .trigger(Trigger.manual("permit_approved").build())
        .template(MessageTemplate.of("permit_ready", "Yth. {{partner_name}}, izin {{permit_number}} telah terbit."))
        .rule(Rule.builder("notify_applicant").trigger("permit_approved")
            .condition("record.state == 'approved'")
            .recipients(Recipients.field("record.phone", "record.name"))
            .context("partner_name", "record.name")
            .context("permit_number", "record.number")
            .template("permit_ready").build())
        .build().start();
    ExecutorService pool = Executors.newFixedThreadPool(fireThreads);
    long[] latencies = new long[count];
    long[] inside = new long[count]; // time inside fire() alone, without the fire thread's late wake-up
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    int per = count / fireThreads;
    for (int t = 0; t < fireThreads; t++) {
      int from = t * per;
      int to = t == fireThreads - 1 ? count : from + per;
      int thread = t;
      fs.add(pool.submit(() -> {
        double interval = rate > 0 ? 1e9 * fireThreads / rate : 0; // nanoseconds between this thread's fires
        for (int i = from; i < to; i++) {
          Map<String, Object> permit = Map.of("state", "approved", "name", "Pemohon " + i,
              "number", "503/" + i, "phone", BenchStores.phone(i));
          long t0 = System.nanoTime();
          if (interval > 0) {
            t0 = start + (long) ((i - from) * interval + interval * thread / fireThreads);
            while (System.nanoTime() < t0) LockSupport.parkNanos(t0 - System.nanoTime());
          }
          long called = System.nanoTime();
          engine.fire("permit_approved", permit, Map.of());
          long returned = System.nanoTime();
          latencies[i] = returned - t0;
          inside[i] = returned - called;
        }
        return null;
      }));
    }
    for (Future<?> f : fs) f.get();
    if (!sent.await(10, TimeUnit.MINUTES)) throw new IllegalStateException("not all sent: " + sent.getCount() + " left");
    // every message reached the provider; the run ends when every SENT state and log is stored
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    long done;
    while ((done = engine.store().countByState(null).getOrDefault(EntryState.SENT, 0L)) < count && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(1);
    }
    long elapsed = System.nanoTime() - start;
    long cpu = processCpuNanos() - cpu0;
    engine.close();
    pool.shutdown();
    if (done != count) throw new IllegalStateException("expected " + count + " SENT, store has " + done);
    long distinct = provider.sent().stream().map(m -> m.phone()).distinct().count();
    if (provider.sentCount() != count || distinct != count) {
      throw new IllegalStateException("expected each of " + count + " notifications sent once; the provider saw "
          + provider.sentCount() + " sends to " + distinct + " numbers");
    }
    Arrays.sort(latencies);
    Arrays.sort(inside);
    if (report && System.getProperty("bench.percentiles") != null) {
      printPercentiles("fire() from its due start", latencies);
      // at a fixed rate the fire thread may wake late from its park; that delay is the harness's, not fire()'s
      if (rate > 0) printPercentiles("fire() call alone", inside);
    }
    return new Result(count / (elapsed / 1e9), latencies[count / 2] / 1e3, latencies[(int) (count * 0.99)] / 1e3, cpu / 1e3 / count);
  }

  private static void printPercentiles(String what, long[] sorted) {
    int n = sorted.length;
    System.out.printf("  %s: p50 %.1f µs, p90 %.1f µs, p95 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs%n", what,
        sorted[n / 2] / 1e3, sorted[(int) (n * 0.9)] / 1e3, sorted[(int) (n * 0.95)] / 1e3, sorted[(int) (n * 0.99)] / 1e3,
        sorted[(int) (n * 0.999)] / 1e3, sorted[n - 1] / 1e3);
  }

  static double median(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  static NotificationStore memory() { return InMemoryStore.create(); }
}
