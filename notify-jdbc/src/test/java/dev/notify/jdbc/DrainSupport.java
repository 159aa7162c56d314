package dev.notify.jdbc;

import dev.notify.core.DeliveryLog;
import dev.notify.core.DeliveryStatus;
import dev.notify.core.EntryState;
import dev.notify.core.QueueEntry;
import dev.notify.core.spi.EntryUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the engine does with a claimed entry that the provider accepted: SENT, with its log. */
final class DrainSupport {
  private DrainSupport() {}

  static EntryUpdate sent(QueueEntry e, String owner, Instant at) {
    DeliveryLog log = new DeliveryLog("log-" + e.id() + "-" + owner, e.id(), e.ruleName(), e.campaignId(), e.recipient().phone(),
        e.recipient().name(), e.templateKey(), EntryState.SENT, null, "Yth. Bapak/Ibu, izin Anda telah terbit.", "recording",
        "ext-" + e.id(), e.attempts() + 1, 3, DeliveryStatus.SENT, at);
    return new EntryUpdate(e.id(), owner, EntryState.SENT, e.attempts() + 1, e.scheduledAt(), null, "recording",
        "ext-" + e.id(), at, log);
  }

  static List<EntryUpdate> sentAll(List<QueueEntry> claimed, String owner, Instant at) {
    List<EntryUpdate> out = new ArrayList<>(claimed.size());
    for (QueueEntry e : claimed) out.add(sent(e, owner, at));
    return out;
  }
}
