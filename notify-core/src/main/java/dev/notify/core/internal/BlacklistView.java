package dev.notify.core.internal;

import dev.notify.core.BlacklistEntry;
import dev.notify.core.spi.NotificationStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dispatcher's view of the blacklist: a snapshot of the active numbers, reloaded from the store at most
 * every {@code ttl} (and at once after a local change), so a send costs a set lookup, not a store round
 * trip. A number blacklisted on another node is honoured here within {@code ttl}. A hit is confirmed against
 * the store before the entry is skipped. With a zero ttl every lookup asks the store.
 */
public final class BlacklistView {
  private final NotificationStore store;
  private final long ttlNanos;
  private final AtomicBoolean loading = new AtomicBoolean();
  private volatile Set<String> active;
  private volatile long loadedAt;
  /** Bumped by each local change; guarded by this. */
  private long generation;

  public BlacklistView(NotificationStore store, Duration ttl) {
    this.store = store;
    this.ttlNanos = ttl.toNanos();
  }

  /** The active entry for {@code phone}, if it is blacklisted. */
  public Optional<BlacklistEntry> find(String phone) {
    if (ttlNanos > 0) {
      Set<String> snapshot = snapshot();
      if (!snapshot.contains(phone)) return Optional.empty();
    }
    return store.findBlacklist(phone).filter(BlacklistEntry::active);
  }

  /** Forces a reload at the next lookup (after a local add or remove). */
  public void invalidate() {
    synchronized (this) {
      generation++;
      active = null;
    }
  }

  private Set<String> snapshot() {
    Set<String> s = active;
    if (s != null && System.nanoTime() - loadedAt < ttlNanos) return s;
    boolean took = loading.compareAndSet(false, true);
    if (s == null || took) {
      try {
        long gen;
        synchronized (this) {
          gen = generation;
        }
        Set<String> fresh = new HashSet<>();
        for (BlacklistEntry b : store.blacklist()) if (b.active()) fresh.add(b.phone());
        synchronized (this) {
          // a change made while this read ran may be missing from it: then it serves this lookup only, and the next
          // one reads again (before, it was kept for the whole ttl and a new opt-out was ignored meanwhile)
          if (gen == generation) {
            loadedAt = System.nanoTime();
            active = fresh;
          }
        }
        return fresh;
      } finally {
        if (took) loading.set(false);
      }
    }
    return s; // another thread is reloading: use the previous snapshot meanwhile
  }
}
