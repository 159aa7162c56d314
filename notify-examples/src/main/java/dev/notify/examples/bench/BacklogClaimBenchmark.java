package dev.notify.examples.bench;

import dev.notify.core.Campaign;
import dev.notify.core.CampaignState;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.spi.NewEntry;
import dev.notify.core.spi.NotificationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a backlog the dispatcher cannot send costs each claim: {@code backlog} entries that are not claimable
 * ({@code deferred}: scheduled 12 hours ahead, at a higher priority than the due ones; {@code paused}: due, of a
 * paused campaign), then rounds of 10 due entries, each claimed with a limit of 100. Prints each claim's time and
 * the median.
 *
 * <p>Arguments: store ({@code h2}, {@code postgres}, {@code mariadb}), backlog (default 100,000), kind
 * ({@code deferred} or {@code paused}), rounds (default 10), and milliseconds to wait after the pause (default 0:
 * on MariaDB the first claims after pausing a large campaign step over index entries InnoDB has not purged yet).
 */
public final class BacklogClaimBenchmark {
  private BacklogClaimBenchmark() {}

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "h2";
    int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    boolean paused = args.length > 2 && args[2].equals("paused");
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    long settleMillis = args.length > 4 ? Long.parseLong(args[4]) : 0;
    if (kind.equals("h2")) BenchStores.deleteH2Files();
    NotificationStore store = BenchStores.forKind(kind).get();
    store.start();
    Instant now = Instant.parse("2026-11-29T10:00:00Z");
    if (paused) {
      store.saveCampaign(Campaign.builder("c1", "Sosialisasi").templateKey("t").targetSource("s")
          .state(CampaignState.RUNNING).createdAt(now).build());
    }
    List<NewEntry> batch = new ArrayList<>();
    for (int i = 0; i < backlog; i++) {
      QueueEntry e = paused ? entry("b" + i, now.minusSeconds(60), 5).toBuilder().campaignId("c1").build()
          : entry("b" + i, now.plus(Duration.ofHours(12)), 5);
      batch.add(new NewEntry(e, null));
      if (batch.size() == 1_000 || i == backlog - 1) {
        store.enqueue(batch, now, null);
        batch.clear();
      }
    }
    if (paused) store.transitionCampaign("c1", CampaignState.RUNNING, CampaignState.PAUSED, now);
    if (settleMillis > 0) Thread.sleep(settleMillis);
    System.out.printf("BacklogClaimBenchmark store=%s backlog=%,d (%s) rounds=%d cores=%d java=%s%n", kind, backlog,
        paused ? "due, paused campaign" : "deferred 12 h, higher priority", rounds, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    double[] millis = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      List<NewEntry> due = new ArrayList<>();
      for (int i = 0; i < 10; i++) due.add(new NewEntry(entry("d" + r + "-" + i, now, 1), null));
      store.enqueue(due, now, null);
      long t0 = System.nanoTime();
      int got = store.claimDue(now, 100, "node", now.plusSeconds(60)).size();
      millis[r] = (System.nanoTime() - t0) / 1e6;
      if (got != 10) throw new IllegalStateException("round " + r + " claimed " + got + " entries, expected the 10 due");
      System.out.printf("claim %d: %.1f ms%n", r + 1, millis[r]);
    }
    Arrays.sort(millis);
    System.out.printf("MEDIAN: %.1f ms per claim%n", millis[rounds / 2]);
    store.close();
    EngineBenchmark.dropBenchTables(kind); // leave the server as we found it
  }

  private static QueueEntry entry(String id, Instant at, int priority) {
    return QueueEntry.builder().id(id).ruleName("r").recipient(Recipient.of("+6281234567890")).templateKey("t")
        .context(Map.of("n", id)).scheduledAt(at).createdAt(at).priority(priority).build();
  }
}
