package dev.notify.core.campaign;

import dev.notify.core.StoreException;
import dev.notify.core.spi.NotificationStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store that forwards everything to a real one, except that once armed the next
 * {@code updateCampaignProgress} fails: the process "dies" after a batch was enqueued and before its cursor
 * was saved.
 */
final class CrashingStore {
  private final AtomicBoolean armed = new AtomicBoolean();
  private final NotificationStore proxy;

  CrashingStore(NotificationStore delegate) {
    this.proxy = (NotificationStore) Proxy.newProxyInstance(NotificationStore.class.getClassLoader(),
        new Class<?>[] {NotificationStore.class}, (p, method, args) -> {
          if (method.getName().equals("updateCampaignProgress") && armed.compareAndSet(true, false)) {
            throw new StoreException("simulated crash before the campaign cursor was saved");
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
}
