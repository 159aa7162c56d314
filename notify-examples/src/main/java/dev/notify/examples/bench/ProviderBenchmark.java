package dev.notify.examples.bench;

import dev.notify.core.EntryState;
import dev.notify.core.InMemoryStore;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.Recipients;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import dev.notify.provider.meta.MetaProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * One engine node sending through the real Meta provider to a MockWebServer that answers every message
 * after 100 ms: messages per second with a bounded number of send threads ({@code workers}).
 *
 * <pre>
 * mvn -q -pl notify-examples exec:java -Dexec.mainClass=dev.notify.examples.bench.ProviderBenchmark -Dexec.args="20000 200 3"
 * </pre>
 * Arguments: messages per run, workers (send threads), runs.
 */
public final class ProviderBenchmark {
  private ProviderBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf("ProviderBenchmark messages=%d workers=%d runs=%d server latency=100ms cores=%d%n",
        count, workers, runs, Runtime.getRuntime().availableProcessors());
    double[] rates = new double[runs];
    for (int i = 0; i < runs; i++) {
      rates[i] = run(count, workers);
      System.out.printf("run %d: %,.0f messages/s (peak live threads %d)%n", i + 1, rates[i],
          java.lang.management.ManagementFactory.getThreadMXBean().getPeakThreadCount());
    }
    Arrays.sort(rates);
    System.out.printf("MEDIAN: %,.0f messages/s%n", rates[runs / 2]);
  }

  static double run(int count, int workers) throws Exception {
    AtomicLong ids = new AtomicLong();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse().setHeadersDelay(100, TimeUnit.MILLISECONDS).setHeader("Content-Type", "application/json")
              .setBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid." + ids.incrementAndGet() + "\"}]}");
        }
      });
      server.start();
      MetaProvider meta = MetaProvider.builder().token("bench-token").phoneNumberId("1234567890")
          .baseUrl(server.url("/").toString().replaceAll("/$", "")).maxConcurrency(workers)
          .readTimeout(Duration.ofSeconds(30)).build();
      NotificationEngine engine = NotificationEngine.builder()
          .store(InMemoryStore.create())
          .provider(meta)
          .providerRateLimit("meta", 100_000) // the benchmark measures the node, not Meta's default 80/s
          .environment(k -> null)
          .workers(workers)
          .batchSize(Math.max(256, workers * 2))
          .trigger(Trigger.manual("m").build())
          .template(MessageTemplate.of("t", "Pesan uji {{n}}"))
          .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).context("n", "record.n").template("t").build())
          .build().start();
      for (int i = 0; i < count; i++) engine.fire("m", Map.of("phone", "0812" + String.format("%08d", i), "n", i), Map.of());
      long start = System.nanoTime();
      while (engine.store().countByState(null).getOrDefault(EntryState.SENT, 0L) < count) {
        Thread.onSpinWait();
        TimeUnit.MILLISECONDS.sleep(20); // polling the store for the benchmark's end; not a test
      }
      double rate = count / ((System.nanoTime() - start) / 1e9);
      engine.close();
      return rate;
    }
  }
}
