package dev.notify.core.spi;

import dev.notify.core.DeliveryLog;
import dev.notify.core.EntryState;
import java.time.Instant;

/**
 * The outcome of processing one claimed entry. Applied only while {@code leaseOwner} still holds the
 * entry's lease (a node whose lease expired and was taken over must not overwrite the new owner). When it
 * applies, the lease is cleared and {@code log} (if any) is written in the same transaction.
 *
 * @param id entry id
 * @param leaseOwner the worker that claimed it
 * @param state new state: PENDING (retry or postpone) or a terminal state
 * @param attempts provider calls made so far
 * @param scheduledAt when it is next due (for PENDING); unchanged semantics otherwise
 * @param lastError last error text, may be null
 * @param provider provider used, may be null
 * @param externalId provider message id, may be null
 * @param updatedAt now
 * @param log the DeliveryLog for a terminal outcome, null for PENDING
 */
public record EntryUpdate(String id, String leaseOwner, EntryState state, int attempts, Instant scheduledAt,
                          String lastError, String provider, String externalId, Instant updatedAt, DeliveryLog log) {
  public EntryUpdate {
    if (id == null || leaseOwner == null || state == null || scheduledAt == null || updatedAt == null) {
      throw new NullPointerException("id, leaseOwner, state, scheduledAt and updatedAt are required");
    }
    if (state == EntryState.PROCESSING) throw new IllegalArgumentException("an update cannot set PROCESSING");
    if (state.isTerminal() && log == null) throw new IllegalArgumentException("terminal update of " + id + " needs its log");
  }
}
