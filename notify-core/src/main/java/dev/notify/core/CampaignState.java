package dev.notify.core;

/** Life cycle of a bulk campaign: DRAFT → SCHEDULED → RUNNING ⇄ PAUSED → COMPLETED, or CANCELLED from any open state. */
public enum CampaignState {
  DRAFT, SCHEDULED, RUNNING, PAUSED, COMPLETED, CANCELLED;

  public boolean isOpen() { return this != COMPLETED && this != CANCELLED; }
}
