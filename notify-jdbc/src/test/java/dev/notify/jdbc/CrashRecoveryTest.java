package dev.notify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.EntryState;
import dev.notify.core.MessageTemplate;
import dev.notify.core.NotificationEngine;
import dev.notify.core.Recipients;
import dev.notify.core.RecordingProvider;
import dev.notify.core.Rule;
import dev.notify.core.Trigger;
import dev.notify.core.spi.OutboundMessage;
import dev.notify.core.testing.MutableClock;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine in a child JVM is killed with SIGKILL in the middle of dispatching; a new engine on the same
 * database finishes the work: nothing is lost, and the only duplicates are entries that were in flight.
 */
class CrashRecoveryTest {
  private static final int ENTRIES = 600;
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void h2File_killedMidDispatch_newEngineFinishes_nothingLost_duplicatesBoundedByInFlight() throws Exception {
    Path db = dir.resolve("notify");
    Path sent = dir.resolve("sent.txt");
    crashAndRecover(() -> JdbcStore.h2File(db), List.of("h2", db.toString(), sent.toString()), sent);
  }

  @Test
  void postgres_killedMidDispatch_newEngineFinishes_nothingLost_duplicatesBoundedByInFlight() throws Exception {
    try (TestDatabase pg = TestDatabase.postgres()) {
      Path sent = dir.resolve("sent.txt");
      String url = System.getenv(TestDatabase.POSTGRES_ENV);
      crashAndRecover(() -> pg.custom(b -> b), List.of("postgres", url, pg.prefix, sent.toString()), sent);
    }
  }

  private void crashAndRecover(Supplier<JdbcStore> stores, List<String> childArgs, Path sentFile) throws Exception {
    Set<String> all = new HashSet<>();
    NotificationEngine producer = engine(stores.get(), new RecordingProvider(), null).build().start();
    for (int i = 0; i < ENTRIES; i++) {
      producer.fire("m", Map.of("phone", "0812" + String.format("%08d", i), "n", i), Map.of()).queued().forEach(q -> all.add(q.id()));
    }
    producer.close();
    assertThat(all).hasSize(ENTRIES);

    Process child = startChild(childArgs);
    try {
      awaitLines(sentFile, ENTRIES / 4, child);
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux
      child.waitFor(30, TimeUnit.SECONDS);
    }
    Set<String> sentByChild = new HashSet<>(Files.readAllLines(sentFile));
    assertThat(sentByChild.size()).as("the kill landed mid-dispatch").isBetween(ENTRIES / 4, ENTRIES - 1);

    JdbcStore store = stores.get();
    store.start();
    long inFlight = store.countByState(null).getOrDefault(EntryState.PROCESSING, 0L);
    store.close();

    MutableClock later = new MutableClock(Instant.now().plus(LEASE).plusSeconds(60)); // the dead node's leases have expired
    RecordingProvider recovery = new RecordingProvider();
    NotificationEngine next = engine(stores.get(), recovery, later).build().start();
    while (next.dispatchNow() > 0) {
      // drain
    }
    Map<EntryState, Long> states = next.store().countByState(null);
    next.close();

    Set<String> sentByRecovery = recovery.sent().stream().map(OutboundMessage::entryId).collect(Collectors.toSet());
    Set<String> union = new HashSet<>(sentByChild);
    union.addAll(sentByRecovery);
    Set<String> duplicates = new HashSet<>(sentByChild);
    duplicates.retainAll(sentByRecovery);

    assertThat(states).containsExactly(Map.entry(EntryState.SENT, (long) ENTRIES));
    assertThat(union).as("every queued entry was sent").isEqualTo(all);
    assertThat((long) duplicates.size()).as("duplicates only among the entries in flight at the kill").isLessThanOrEqualTo(inFlight);
  }

  private static NotificationEngine.Builder engine(JdbcStore store, RecordingProvider provider, MutableClock clock) {
    NotificationEngine.Builder b = NotificationEngine.builder().store(store).provider(provider).environment(k -> null)
        .backgroundDispatch(false).backgroundJobs(false).lease(LEASE)
        .trigger(Trigger.manual("m").build())
        .template(MessageTemplate.of("t", "Pesan {{n}}"))
        .rule(Rule.builder("r").trigger("m").recipients(Recipients.field("record.phone")).context("n", "record.n").template("t").build());
    return clock == null ? b : b.clock(clock);
  }

  private Process startChild(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashChild.class.getName());
    cmd.addAll(args);
    File log = dir.resolve("child.log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  /** Waits (bounded) until the child has reported {@code n} sends. */
  private void awaitLines(Path file, int n, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) throw new AssertionError("child exited early: " + Files.readString(dir.resolve("child.log")));
      if (Files.exists(file) && Files.readAllLines(file).size() >= n) return;
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new AssertionError("child did not send " + n + " messages in time: " + Files.readString(dir.resolve("child.log")));
  }
}
