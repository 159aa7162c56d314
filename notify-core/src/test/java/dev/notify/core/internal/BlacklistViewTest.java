package dev.notify.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notify.core.BlacklistEntry;
import dev.notify.core.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlacklistViewTest {
  private static final String PHONE = "+6281234567890";

  /** A store whose blacklist read can be held half way: after reading, before answering. */
  static final class HeldReadStore extends ForwardingStore {
    final CountDownLatch readDone = new CountDownLatch(1);
    final CountDownLatch answer = new CountDownLatch(1);
    volatile boolean hold;

    HeldReadStore() { super(InMemoryStore.create()); }

    @Override public List<BlacklistEntry> blacklist() {
      List<BlacklistEntry> read = super.blacklist();
      if (hold) {
        hold = false;
        readDone.countDown();
        try {
          answer.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return read;
    }
  }

  /** Before, a reload that read the store before an opt-out was saved was kept for the whole ttl: the number got messages. */
  @Test
  void optOutSavedWhileAReloadRuns_isHonouredAtTheNextLookup() throws Exception {
    HeldReadStore store = new HeldReadStore();
    BlacklistView view = new BlacklistView(store, Duration.ofMinutes(5));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      store.hold = true;
      Future<?> reload = pool.submit(() -> view.find(PHONE));
      assertThat(store.readDone.await(30, TimeUnit.SECONDS)).isTrue();

      store.saveBlacklist(new BlacklistEntry(PHONE, null, "stop", true, 0, null, Instant.parse("2026-03-02T02:00:00Z")));
      view.invalidate(); // what Blacklist.add does after saving
      store.answer.countDown();
      reload.get(30, TimeUnit.SECONDS);

      assertThat(view.find(PHONE)).isPresent();
    } finally {
      pool.shutdownNow();
    }
  }
}
