package dev.notify.examples.bench;

import dev.notify.core.InMemoryStore;
import dev.notify.core.spi.NotificationStore;
import java.util.function.Supplier;

/** Fresh stores for benchmarks by kind name. */
final class BenchStores {
  private BenchStores() {}

  static Supplier<NotificationStore> forKind(String kind) {
    switch (kind) {
      case "memory":
        return InMemoryStore::create;
      default:
        throw new IllegalArgumentException("unknown store kind '" + kind + "'; use memory, h2, postgres or mariadb");
    }
  }
}
