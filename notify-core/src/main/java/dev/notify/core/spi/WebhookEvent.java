package dev.notify.core.spi;

import dev.notify.core.DeliveryStatus;
import java.time.Instant;

/** What a verified webhook reports; the engine applies these to the store. */
public sealed interface WebhookEvent permits WebhookEvent.StatusUpdate, WebhookEvent.InboundMessage {

  /** A delivery status for a message we sent, by the provider's message id. */
  record StatusUpdate(String externalId, DeliveryStatus status, Instant at, String errorCode, String errorMessage)
      implements WebhookEvent {}

  /** A message a person sent us; "STOP"-style texts opt the sender out. Phone in E.164 or digits. */
  record InboundMessage(String phone, String text, Instant at) implements WebhookEvent {
    /** The phone masked and the text left out: such values end up in logs. */
    @Override public String toString() {
      return "InboundMessage{" + dev.notify.core.internal.Phones.mask(phone) + ", " + (text == null ? 0 : text.length()) + " characters, " + at + "}";
    }
  }
}
