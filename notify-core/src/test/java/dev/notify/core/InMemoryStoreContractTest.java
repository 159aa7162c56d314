package dev.notify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.spi.EntryUpdate;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.NotificationStoreContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the store contract on {@link InMemoryStore}, plus what only the in-memory store does. */
class InMemoryStoreContractTest extends NotificationStoreContract {

  @Override protected NotificationStore createStore() {
    return InMemoryStore.create();
  }

  @Test
  void enqueue_withAHostTransaction_isRefusedNamingItsClassAndStoresNothing() {
    Object hostTransaction = new StringBuilder("a JDBC connection, say");

    assertThatThrownBy(() -> store.enqueue(List.of(newEntry(entry("e1").build())), t0(), hostTransaction))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the in-memory store cannot join a host transaction: got java.lang.StringBuilder");
    assertThat(store.findEntry("e1")).isEmpty();
  }

  @Test
  void tryAcquire_forAWindowOlderThanTheOnesRemembered_isRefused() {
    for (int minute = 1; minute <= 4; minute++) store.tryAcquire("rule:a", t0().plus(Duration.ofMinutes(minute)), 10);

    assertThat(store.tryAcquire("rule:a", t0(), 10)).isFalse();
    assertThat(store.tryAcquire("rule:a", t0().plus(Duration.ofMinutes(5)), 10)).isTrue();
  }

  @Test
  void tryAcquire_withANonPositiveLimit_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> store.tryAcquire("rule:a", t0(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate limit for 'rule:a' must be > 0, got 0");
  }

  @Test
  void recordJobRun_keepsOnlyTheMostRecentRunsOfEachJob() {
    for (int i = 0; i < InMemoryStore.JOB_RUNS_KEPT + 5; i++) {
      store.recordJobRun(new JobRun("dispatch", "node-a", t0().plusSeconds(i), 1, null));
    }

    List<JobRun> runs = store.jobRuns("dispatch", Integer.MAX_VALUE);
    assertThat(runs).hasSize(InMemoryStore.JOB_RUNS_KEPT);
    assertThat(runs.get(0).startedAt()).isEqualTo(t0().plusSeconds(InMemoryStore.JOB_RUNS_KEPT + 4));
    assertThat(runs.get(runs.size() - 1).startedAt()).isEqualTo(t0().plusSeconds(5));
  }

  @Test
  void claimDue_byACallerWhoseClockIsBehind_doesNotTakeALeaseThatIsValidByItsClock() {
    enqueue(entry("e1").priority(1).build());
    store.claimDue(t0(), 1, "node-a", t0().plusSeconds(40));
    enqueue(entry("urgent").priority(10).build());
    // a caller at +41s sees node-a's lease expired, but its limit is taken by the more urgent entry
    assertThat(store.claimDue(t0().plusSeconds(41), 1, "node-c", t0().plusSeconds(100)))
        .extracting(QueueEntry::id).containsExactly("urgent");

    List<QueueEntry> behind = store.claimDue(t0().plusSeconds(35), 10, "node-b", t0().plusSeconds(95));

    assertThat(behind).isEmpty();
    assertThat(store.findEntry("e1").orElseThrow().leaseOwner()).isEqualTo("node-a");
  }

  @Test
  void countByState_followsEveryTransition() {
    enqueue(entry("a").build(), entry("b").build(), entry("c").scheduledAt(t0().plus(Duration.ofHours(1))).build());
    QueueEntry a = store.claimDue(t0(), 1, "n", t0().plusSeconds(60)).get(0);
    store.complete(List.of(new EntryUpdate(a.id(), "n", EntryState.PENDING, 1, t0().plusSeconds(10), "retry", null,
        null, t0(), null)));

    assertThat(store.countByState(null)).containsExactlyInAnyOrderEntriesOf(Map.of(EntryState.PENDING, 3L));
  }

}
