package dev.notify.examples.bench;

import dev.notify.core.Campaign;
import dev.notify.core.CampaignSpec;
import dev.notify.core.EntryState;
import dev.notify.core.InMemoryStore;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.RecordingProvider;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.TargetSource;
import dev.notify.jdbc.JdbcDialect;
import dev.notify.jdbc.JdbcStore;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * Enqueues a 1,000,000-target campaign into PostgreSQL and reports targets enqueued per second and the peak
 * heap. Targets are generated on the fly (records with an id, a name and a local phone number, 1% of them
 * known to the address book), so the heap holds only what the campaign itself holds: one batch.
 * Dispatch is off: this measures reading targets, planning, dedupe and enqueue.
 *
 * <pre>
 * mvn -q -pl notify-examples -am install -DskipTests
 * mvn -q -pl notify-examples exec:exec -Dexec.executable=java \
 *   -Dexec.args="-Xmx256m -cp %classpath dev.notify.examples.bench.CampaignBenchmark"
 * </pre>
 *
 * <p>Arguments (optional): {@code targets=1000000 batch=10000 lanes=4 store=postgres|memory} ({@code memory}: the
 * in-memory store, to see the engine's own cost; keep {@code targets} small, it holds every entry). It also
 * prints the wall time spent in each store method. PostgreSQL URL from
 * {@code NOTIFY_BENCH_POSTGRES_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}.
 * Tables get a random prefix and are dropped at the end.
 */
public final class CampaignBenchmark {
  private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  /** A host record as the target source yields it. */
  public record Holder(String id, String name, String phone) {}

  public static void main(String[] args) throws Exception {
    long targets = 1_000_000;
    int batch = 10_000;
    boolean inMemory = false;
    int lanes = 4; // the engine's default
    for (String a : args) {
      if (a.startsWith("targets=")) targets = Long.parseLong(a.substring(8));
      else if (a.startsWith("batch=")) batch = Integer.parseInt(a.substring(6));
      else if (a.startsWith("lanes=")) lanes = Integer.parseInt(a.substring(6));
      else if (a.equals("store=memory")) inMemory = true;
      else if (a.equals("store=postgres")) inMemory = false;
      else throw new IllegalArgumentException("unknown argument '" + a + "'; expected targets=N batch=N lanes=N store=postgres|memory");
    }
    String url = System.getenv().getOrDefault("NOTIFY_BENCH_POSTGRES_URL", DEFAULT_URL);
    String prefix = "bench" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36).substring(0, 6) + "_";

    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setURL(url);
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    pool.setMaxConnections(8);

    final long total = targets;
    TargetSource source = new TargetSource() {
      @Override public Stream<?> targets(Map<String, String> params) { return targets(params, 0); }
      @Override public Stream<?> targets(Map<String, String> params, long offset) {
        return LongStream.range(offset, total).mapToObj(i -> new Holder("H-" + i, "Warga " + i, BenchStores.phone(i)));
      }
    };

    HeapSampler heap = new HeapSampler();
    NotificationStore store = inMemory ? InMemoryStore.create()
        : JdbcStore.builder(pool).dialect(JdbcDialect.POSTGRES).tablePrefix(prefix).build();
    TimedStore timed = new TimedStore(store);
    try (NotificationEngine engine = NotificationEngine.builder()
        .store(timed.store())
        .provider(new RecordingProvider())
        .backgroundDispatch(false)
        .backgroundJobs(false)
        .campaignEnqueueLanes(lanes)
        .environment(k -> null)
        .template(MessageTemplate.of("reminder", "Yth. {{name}}, izin Anda berakhir dalam 30 hari."))
        .targetSource("holders", source)
        .addressBook(phone -> phone.endsWith("00"))
        .build()
        .start()) {
      String id = engine.campaigns().create(CampaignSpec.builder("bench").template("reminder").targets("holders")
          .batchSize(batch).batchInterval(Duration.ZERO).build());

      System.gc();
      heap.start();
      long gcBefore = gcMillis();
      long t0 = System.nanoTime();
      engine.campaigns().start(id);
      Campaign c = engine.campaigns().find(id).orElseThrow();
      while (!c.exhausted()) {
        engine.campaigns().runBatch(id);
        c = engine.campaigns().find(id).orElseThrow();
      }
      long nanos = System.nanoTime() - t0;
      heap.stop();
      long gc = gcMillis() - gcBefore;

      long queued = engine.store().countByState(id).getOrDefault(EntryState.PENDING, 0L);
      double seconds = nanos / 1e9;
      System.out.printf(Locale.ROOT, "targets read           %,d%n", c.cursor());
      System.out.printf(Locale.ROOT, "entries queued         %,d (skipped in address book %,d, duplicates %,d)%n",
          queued, c.skippedInAddressBook(), c.duplicates());
      System.out.printf(Locale.ROOT, "batch size             %,d (enqueue lanes %d)%n", batch, lanes);
      System.out.printf(Locale.ROOT, "elapsed                %.2f s (GC %d ms)%n", seconds, gc);
      System.out.printf(Locale.ROOT, "targets per second     %,.0f%n", c.cursor() / seconds);
      System.out.printf(Locale.ROOT, "peak heap used         %.1f MiB (sampled every 5 ms; max heap %.0f MiB)%n",
          heap.peakUsed / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
      System.out.printf(Locale.ROOT, "peak heap after GC     %.1f MiB (what stays live)%n", heap.peakAfterGc / 1048576.0);
      System.out.printf(Locale.ROOT, "store                  %s%n", store);
      timed.report(System.out, nanos);
    } finally {
      if (!inMemory) drop(pool, prefix);
      pool.dispose();
    }
  }

  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, gc.getCollectionTime());
    return ms;
  }

  private static void drop(JdbcConnectionPool pool, String prefix) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
          + " AND tablename LIKE '" + prefix + "%'")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) s.execute("DROP TABLE IF EXISTS " + t + " CASCADE");
    }
  }

  /** Samples the used heap every 5 ms on a daemon thread and keeps the maximum. */
  private static final class HeapSampler {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private Thread thread;
    long peakUsed;
    long peakAfterGc;

    void start() {
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
      running.set(true);
      thread = new Thread(() -> {
        while (running.get()) {
          long used = memory.getHeapMemoryUsage().getUsed();
          peak.accumulateAndGet(used, Math::max);
          long afterGc = 0;
          for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) afterGc += p.getCollectionUsage().getUsed();
          }
          peakLive.accumulateAndGet(afterGc, Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
      peakUsed = peak.get();
      peakAfterGc = peakLive.get();
    }
  }

  private CampaignBenchmark() {}
}
