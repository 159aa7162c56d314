package dev.notify.core;

import dev.notify.core.internal.campaign.CampaignRuntime;

/** Bulk campaigns: {@code engine.campaigns()}. (Being implemented.) */
public final class Campaigns {
  private final CampaignRuntime runtime;

  Campaigns(CampaignRuntime runtime) { this.runtime = runtime; }
}
