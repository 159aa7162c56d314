package dev.notify.core.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * What a provider says about one send: {@link Accepted}, {@link Retryable} or {@link Permanent}.
 * Providers classify by the provider's own codes; an unknown error is retryable.
 */
public sealed interface SendResult permits SendResult.Accepted, SendResult.Retryable, SendResult.Permanent {

  static SendResult accepted(String externalId) { return new Accepted(externalId); }

  static SendResult retryable(String code, String message) { return new Retryable(code, message, null); }

  static SendResult retryable(String code, String message, Duration retryAfter) { return new Retryable(code, message, retryAfter); }

  static SendResult permanent(String code, String message) { return new Permanent(code, message); }

  /** The provider took the message; {@code externalId} is its message id, or null when it gives none. */
  record Accepted(String externalId) implements SendResult {}

  /** A transient failure (rate limit, outage, timeout); the engine backs off, honouring {@code retryAfter}. */
  record Retryable(String code, String message, Duration retryAfter) implements SendResult {
    public Optional<Duration> retryAfterOptional() { return Optional.ofNullable(retryAfter); }
  }

  /** A failure that retrying cannot fix (bad number, template rejected, auth); the entry fails at once. */
  record Permanent(String code, String message) implements SendResult {}
}
