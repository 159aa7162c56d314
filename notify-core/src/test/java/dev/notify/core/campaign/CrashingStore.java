package dev.notify.core.campaign;

import dev.notify.core.StoreException;
import dev.notify.core.spi.NotificationStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store that forwards everything to a real one, except that once armed the next
 * {@code advanceCampaign} fails: the process "dies" after a batch was enqueued and before its cursor
 * was saved. It can also fail one enqueue call, and it counts them.
 */
final class CrashingStore {
  private final AtomicBoolean armed = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicInteger enqueueCalls = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger failEnqueueOfSize = new java.util.concurrent.atomic.AtomicInteger(-1);
  private final NotificationStore proxy;

  CrashingStore(NotificationStore delegate) {
    this.proxy = (NotificationStore) Proxy.newProxyInstance(NotificationStore.class.getClassLoader(),
        new Class<?>[] {NotificationStore.class}, (p, method, args) -> {
          if (method.getName().equals("advanceCampaign") && armed.compareAndSet(true, false)) {
            throw new StoreException("simulated crash before the campaign cursor was saved");
          }
          if (method.getName().equals("enqueue")) {
            enqueueCalls.incrementAndGet();
            int size = ((java.util.List<?>) args[0]).size();
            if (failEnqueueOfSize.compareAndSet(size, -1)) throw new StoreException("simulated failure of one enqueue call");
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  NotificationStore store() { return proxy; }

  void crashOnNextProgressSave() { armed.set(true); }

  /**
   * The next enqueue call of {@code size} entries fails without writing anything (by size, not by order: parts
   * enqueued on two lanes at once call the store in either order).
   */
  void failEnqueueOfSize(int size) { failEnqueueOfSize.set(size); }

  /** Enqueue calls seen so far. */
  int enqueueCalls() { return enqueueCalls.get(); }
}
