package dev.notify.core.internal;

import dev.notify.core.DeliveryLog;
import dev.notify.core.FireResult;
import dev.notify.core.spi.NewEntry;
import java.util.ArrayList;
import java.util.List;

/** What evaluating one event produced: entries to enqueue, rules skipped, and logs of recipients skipped at fire time. */
public final class FirePlan {
  public final List<NewEntry> entries = new ArrayList<>(4);
  public final List<FireResult.Skip> skips = new ArrayList<>(2);
  public final List<DeliveryLog> logs = new ArrayList<>(0);

  public void addAll(FirePlan other) {
    entries.addAll(other.entries);
    skips.addAll(other.skips);
    logs.addAll(other.logs);
  }
}
