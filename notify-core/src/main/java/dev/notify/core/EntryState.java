package dev.notify.core;

/** Life cycle of a queue entry. */
public enum EntryState {
  PENDING, PROCESSING, SENT, FAILED, CANCELLED, SKIPPED;

  /** SENT, FAILED, CANCELLED and SKIPPED are final. */
  public boolean isTerminal() { return this != PENDING && this != PROCESSING; }
}
