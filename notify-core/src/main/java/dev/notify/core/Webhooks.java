package dev.notify.core;

import dev.notify.core.internal.Phones;
import dev.notify.core.internal.ProviderRouter;
import dev.notify.core.spi.WebhookEvent;
import dev.notify.core.spi.WebhookResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single entry point for provider callbacks: {@code engine.webhooks().handle("meta", request)} returns
 * the status and body for the host's HTTP layer. The provider verifies the request (a forged or unsigned
 * one is rejected and changes nothing); status updates move forward the entry and log that the same provider
 * accepted with that message id (a replay, or another provider's callback, changes nothing); an inbound opt-out
 * word adds the sender to the blacklist.
 */
public final class Webhooks {
  /**
   * A status for a message no entry holds yet, stamped at most this long ago and first seen by this node at most
   * this long ago, is answered 503 so that the provider sends it again: the send's outcome (with the message id)
   * may still be on its way to the store. Otherwise (a message notify did not send, or a test send) it is answered
   * as usual and ignored.
   */
  static final java.time.Duration UNKNOWN_STATUS_GRACE = java.time.Duration.ofMinutes(2);

  private final java.time.Clock clock;
  /** When this node first saw a status for a message no entry held: the grace counts from then, not from its stamp. */
  private final com.github.benmanes.caffeine.cache.Cache<String, java.time.Instant> firstSeenUnknown =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofMinutes(30))
          .maximumSize(10_000).build();
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  /**
   * Inbound texts that opt the sender out (compared without case, punctuation, emoji or extra spaces). Only words
   * that mean "stop messaging me": a reply "batal" or "cancel" to a permit notice more likely means "cancel my
   * application or appointment", and blacklisting that sender would silently drop the notices they still need.
   * A host that wants them passes them together with these to {@code NotificationEngine.Builder#stopWords}, which
   * replaces the set.
   */
  public static final Set<String> DEFAULT_STOP_WORDS = Set.of("stop", "berhenti", "unsubscribe", "stop all");

  private final ProviderRouter router;
  private final dev.notify.core.spi.NotificationStore store;
  private final Blacklist blacklist;
  private final Phones phones;
  private final Set<String> stopWords;

  Webhooks(ProviderRouter router, dev.notify.core.spi.NotificationStore store, Blacklist blacklist, Phones phones, Set<String> stopWords,
           java.time.Clock clock) {
    this.clock = clock;
    this.router = router;
    this.store = store;
    this.blacklist = blacklist;
    this.phones = phones;
    this.stopWords = stopWords.stream().map(Webhooks::stopWordForm).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * Hands a provider's callback to that provider (which checks its signature or secret) and applies what it
   * reports: delivery statuses to the matching logs, stop words in replies to the blacklist.
   *
   * @return what to answer the provider: the provider's own answer (its refusal of a bad signature included),
   *     404 for an unknown provider, 413 for a body over {@link WebhookRequest#MAX_BODY_BYTES}, 400 when the
   *     provider could not read it, 500 when applying an event failed (so that the provider sends it again)
   */
  public WebhookResponse handle(String providerId, WebhookRequest request) {
    dev.notify.core.internal.Check.notNull(request, "webhook request");
    Optional<WhatsAppProvider> provider = router.get(providerId);
    if (provider.isEmpty()) return WebhookResponse.status(404, "unknown provider '" + providerId + "'");
    if (request.bodyLength() > WebhookRequest.MAX_BODY_BYTES) {
      return WebhookResponse.status(413, "body larger than " + WebhookRequest.MAX_BODY_BYTES + " bytes");
    }
    WebhookResult result;
    try {
      result = provider.get().handleWebhook(request);
    } catch (RuntimeException e) {
      LOG.warn("provider '{}' failed to handle a webhook: {}", providerId, e.toString());
      return WebhookResponse.status(400, "malformed webhook");
    }
    for (WebhookEvent event : result.events()) {
      try {
        apply(providerId, event);
      } catch (NotStoredYet e) {
        LOG.info("'{}' status for {}, which no entry holds yet: asking for it again", providerId, e.getMessage());
        return WebhookResponse.status(503, "status for a message not stored yet; send it again later");
      } catch (RuntimeException e) {
        LOG.warn("applying a '{}' webhook event failed: {}", providerId, e.toString());
        return WebhookResponse.status(500, "could not apply the webhook; retry later");
      }
    }
    return result.response();
  }

  private void apply(String providerId, WebhookEvent event) {
    if (event instanceof WebhookEvent.StatusUpdate) {
      WebhookEvent.StatusUpdate s = (WebhookEvent.StatusUpdate) event;
      String error = s.errorCode() == null ? null : s.errorCode() + (s.errorMessage() == null ? "" : ": " + s.errorMessage());
      boolean changed = store.updateDeliveryStatus(providerId, s.externalId(), s.status(), s.at(), error);
      // before, a status that overtook its send's outcome (a few ms; longer while the store struggled) was lost
      // (some providers stamp a status with its arrival: the grace counts from the first time this node saw it, or
      // a message notify never sent would be asked for again for ever)
      java.time.Instant now = clock.instant();
      java.time.Instant graceStart = now.minus(UNKNOWN_STATUS_GRACE);
      if (!changed && s.at() != null && !s.at().isBefore(graceStart) && store.findByExternalId(providerId, s.externalId()).isEmpty()
          && !firstSeenUnknown.get(providerId + '\u0000' + s.externalId(), id -> now).isBefore(graceStart)) {
        throw new NotStoredYet(s.externalId());
      }
      LOG.debug("'{}' status {} for {}: {}", providerId, s.status(), s.externalId(), changed ? "applied" : "no change");
    } else if (event instanceof WebhookEvent.InboundMessage) {
      WebhookEvent.InboundMessage m = (WebhookEvent.InboundMessage) event;
      if (stopWords.contains(stopWordForm(m.text()))) {
        Optional<String> e164 = phones.normalize(inboundNumber(m.phone()));
        if (e164.isEmpty()) {
          LOG.warn("'{}' opt-out from {} not applied: not a phone number", providerId, Phones.mask(m.phone()));
        } else if (!blacklist.contains(e164.get())) {
          blacklist.add(e164.get(), "opted out via " + providerId + " (\"" + m.text().strip() + "\")");
          LOG.info("{} opted out via '{}'", Phones.mask(e164.get()), providerId);
        }
      }
    }
  }

  /**
   * A text as it is compared with the stop words: lower case, each run of punctuation, symbols and spaces one space,
   * trimmed. So "Stop!", "STOP." and "stop  all" match; before, only the bare word did, and a citizen who wrote
   * "Stop!" kept getting messages.
   */
  static String stopWordForm(String text) {
    if (text == null) return "";
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }

  /**
   * A sender's number as E.164 input: "+..." as given; international digits get their "+"; a number written the
   * local way (leading 0) is read in the default region. Before, "0812..." became "+0812..." (dropped) and a local
   * number without its 0 could become a foreign one.
   */
  private static String inboundNumber(String phone) {
    String p = phone == null ? "" : phone.strip();
    return p.startsWith("+") || p.startsWith("0") ? p : "+" + p;
  }

  /** A status update whose message is not in the store yet. */
  private static final class NotStoredYet extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotStoredYet(String externalId) { super(externalId, null, false, false); }
  }
}
