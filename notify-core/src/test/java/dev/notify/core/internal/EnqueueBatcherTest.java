package dev.notify.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.InMemoryStore;
import dev.notify.core.QueueEntry;
import dev.notify.core.Recipient;
import dev.notify.core.StoreException;
import dev.notify.core.spi.NewEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EnqueueBatcherTest {
  private static final Instant NOW = Instant.parse("2026-03-02T02:00:00Z");

  /** An in-memory store that records the size of each enqueue call and can hold the first one. */
  static final class RecordingStore extends ForwardingStore {
    final List<Integer> callSizes = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch firstCallEntered = new CountDownLatch(1);
    final CountDownLatch releaseFirstCall = new CountDownLatch(1);
    volatile boolean fail;
    /** Thrown by every call after the first. */
    volatile Error errorAfterFirst;

    RecordingStore() { super(InMemoryStore.create()); }

    @Override public List<QueueEntry> enqueue(List<NewEntry> entries, Instant now, Object tx) {
      callSizes.add(entries.size());
      if (callSizes.size() == 1) {
        firstCallEntered.countDown();
        try {
          releaseFirstCall.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (fail) throw new StoreException("database down");
      // as an interrupt-sensitive driver would
      if (callSizes.size() > 1 && Thread.currentThread().isInterrupted()) throw new StoreException("interrupted");
      if (errorAfterFirst != null && callSizes.size() > 1) throw errorAfterFirst;
      return super.enqueue(entries, now, tx);
    }
  }

  private static List<NewEntry> one(String id) {
    return List.of(new NewEntry(QueueEntry.builder().id(id).recipient(Recipient.of("+6281234567890")).templateKey("t")
        .scheduledAt(NOW).build(), null));
  }

  /**
   * Caller a's write is held while b and c queue behind it, then released: b and c are written together in the
   * store's second call. @return the three calls, in that order
   */
  private static List<Future<List<QueueEntry>>> aWhileBAndCWait(RecordingStore store, EnqueueBatcher batcher,
                                                               ExecutorService pool) throws InterruptedException {
    Held<List<QueueEntry>> held = aWhile(store, batcher, pool, id -> () -> batcher.enqueue(one(id), NOW));
    return List.of(held.a(), held.waiting().get(0), held.waiting().get(1));
  }

  /** Caller a's call and the calls of b and c, made by {@code call(id)}, that waited behind it. */
  private record Held<T>(Future<List<QueueEntry>> a, List<Future<T>> waiting) {}

  /** Caller a's write is held while b and c, each made by {@code call}, queue behind it; then it is released. */
  private static <T> Held<T> aWhile(RecordingStore store, EnqueueBatcher batcher, ExecutorService pool,
                                    java.util.function.Function<String, java.util.concurrent.Callable<T>> call)
      throws InterruptedException {
    Future<List<QueueEntry>> a = pool.submit(() -> batcher.enqueue(one("a"), NOW));
    assertThat(store.firstCallEntered.await(30, TimeUnit.SECONDS)).isTrue();
    List<Future<T>> waiting = List.of(pool.submit(call.apply("b")), pool.submit(call.apply("c")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (batcher.waitingCallers() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
    store.releaseFirstCall.countDown();
    return new Held<>(a, waiting);
  }

  @Test
  void callersWaitingWhileAWriteIsRunning_areWrittenTogetherInOneCall_eachGettingItsOwnEntries() throws Exception {
    RecordingStore store = new RecordingStore();
    EnqueueBatcher batcher = new EnqueueBatcher(store);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<QueueEntry>>> calls = aWhileBAndCWait(store, batcher, pool);
      Future<List<QueueEntry>> a = calls.get(0);
      Future<List<QueueEntry>> b = calls.get(1);
      Future<List<QueueEntry>> c = calls.get(2);

      assertThat(a.get(30, TimeUnit.SECONDS)).extracting(QueueEntry::id).containsExactly("a");
      assertThat(b.get(30, TimeUnit.SECONDS)).extracting(QueueEntry::id).containsExactly("b");
      assertThat(c.get(30, TimeUnit.SECONDS)).extracting(QueueEntry::id).containsExactly("c");
      assertThat(store.callSizes).containsExactly(1, 2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedWrite_failsItsCallersWithTheStoresException_andStoresNothing() {
    RecordingStore store = new RecordingStore();
    store.releaseFirstCall.countDown();
    store.fail = true;
    EnqueueBatcher batcher = new EnqueueBatcher(store);

    assertThatThrownBy(() -> batcher.enqueue(one("a"), NOW)).isInstanceOf(StoreException.class).hasMessage("database down");
    assertThat(store.findEntry("a")).isEmpty();
  }

  /** Before, a write that threw an Error failed only the caller that wrote; the others in its batch waited forever. */
  @Test
  void aWriteThatThrowsAnError_failsEveryCallerOfThatWrite() throws Exception {
    RecordingStore store = new RecordingStore();
    store.errorAfterFirst = new StackOverflowError("simulated");
    EnqueueBatcher batcher = new EnqueueBatcher(store);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<QueueEntry>>> calls = aWhileBAndCWait(store, batcher, pool);
      Future<List<QueueEntry>> a = calls.get(0);
      Future<List<QueueEntry>> b = calls.get(1);
      Future<List<QueueEntry>> c = calls.get(2);

      assertThat(a.get(30, TimeUnit.SECONDS)).extracting(QueueEntry::id).containsExactly("a");
      for (Future<List<QueueEntry>> f : List.of(b, c)) {
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class)
            .hasCauseInstanceOf(StackOverflowError.class);
      }
      assertThat(store.callSizes).containsExactly(1, 2);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Before, a caller with its interrupt set wrote the shared batch interrupted, failing the other callers too. */
  @Test
  void interruptedCallers_haveTheirItemsWritten_andFindTheirInterruptSetAgain() throws Exception {
    RecordingStore store = new RecordingStore();
    EnqueueBatcher batcher = new EnqueueBatcher(store);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Held<Boolean> held = aWhile(store, batcher, pool, id -> () -> {
        Thread.currentThread().interrupt();
        List<QueueEntry> mine = batcher.enqueue(one(id), NOW);
        return mine.size() == 1 && Thread.interrupted();
      });

      assertThat(held.a().get(30, TimeUnit.SECONDS)).hasSize(1);
      for (Future<Boolean> f : held.waiting()) assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(store.findEntry("b")).isPresent();
      assertThat(store.findEntry("c")).isPresent();
    } finally {
      pool.shutdownNow();
    }
  }
}
