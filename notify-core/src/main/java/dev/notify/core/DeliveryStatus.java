package dev.notify.core;

/**
 * What the provider reported after accepting a message (from webhooks). Ordered: a status never moves
 * back (a late "delivered" after "read" changes nothing); FAILED is final.
 */
public enum DeliveryStatus {
  NONE, SENT, DELIVERED, READ, FAILED;

  /** Whether moving from this status to {@code next} is progress. */
  public boolean canMoveTo(DeliveryStatus next) {
    if (this == FAILED || next == NONE) return false;
    if (next == FAILED) return this != READ;
    return next.ordinal() > ordinal();
  }
}
