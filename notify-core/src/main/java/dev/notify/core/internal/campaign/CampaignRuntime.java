package dev.notify.core.internal.campaign;

import dev.notify.core.internal.Definitions;
import dev.notify.core.internal.FireProcessor;
import dev.notify.core.internal.Phones;
import dev.notify.core.spi.AddressBook;
import dev.notify.core.spi.NotificationStore;
import dev.notify.core.spi.TargetSource;
import dev.notify.core.spi.TemplateRegistry;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What the campaign machinery needs from the engine.
 *
 * @param store the engine's store
 * @param clock the engine's clock
 * @param zone the engine's zone
 * @param fire evaluates rules (context, recipients, schedule) for a target record
 * @param definitions compiled rules by name
 * @param phones E.164 normalisation
 * @param templates template lookup
 * @param targetSources the builder's named target sources
 * @param addressBook the host's address book
 * @param wakeDispatcher call after enqueuing
 * @param writers runs the enqueue parts of a batch (see {@link CampaignRunner}) while the calling thread plans
 * @param lanes how many enqueue calls of one batch may run at once (1: one call per batch)
 */
public record CampaignRuntime(NotificationStore store, Clock clock, ZoneId zone, FireProcessor fire, Definitions definitions,
                              Phones phones, TemplateRegistry templates, Map<String, TargetSource> targetSources,
                              AddressBook addressBook, Runnable wakeDispatcher,
                              Executor writers, int lanes, java.util.function.Consumer<String> skipped) {}
