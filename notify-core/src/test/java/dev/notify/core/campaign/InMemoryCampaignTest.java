package dev.notify.core.campaign;

import dev.notify.core.InMemoryStore;
import dev.notify.core.spi.NotificationStore;

/** The campaign behaviour on the in-memory store; a "restart" is a new engine on the same store instance. */
class InMemoryCampaignTest extends CampaignContract {
  private final InMemoryStore store = InMemoryStore.create();

  @Override protected NotificationStore openStore() { return store; }
}
