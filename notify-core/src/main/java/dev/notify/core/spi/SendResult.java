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

  /**
   * A transient failure that concerns this recipient only (a per-recipient rate limit, a refusal tied to this
   * message): the engine backs off as for {@link #retryable}, but the failure does not count towards the
   * provider's circuit breaker, since the provider answered and other recipients still get through.
   */
  static SendResult retryableForRecipient(String code, String message, Duration retryAfter) {
    return new Retryable(code, message, retryAfter, true);
  }

  static SendResult permanent(String code, String message) { return new Permanent(code, message); }

  /** The provider took the message; {@code externalId} is its message id, or null when it gives none. */
  record Accepted(String externalId) implements SendResult {}

  /**
   * A transient failure (rate limit, outage, timeout); the engine backs off, honouring {@code retryAfter}.
   * {@code recipientOnly} says the failure concerns this recipient only and says nothing about the provider's
   * health (see {@link #retryableForRecipient}); other retryable failures count towards the circuit breaker.
   */
  record Retryable(String code, String message, Duration retryAfter, boolean recipientOnly) implements SendResult {
    /** A failure that counts towards the provider's circuit breaker. */
    public Retryable(String code, String message, Duration retryAfter) { this(code, message, retryAfter, false); }

    public Optional<Duration> retryAfterOptional() { return Optional.ofNullable(retryAfter); }
  }

  /** A failure that retrying cannot fix (bad number, template rejected, auth); the entry fails at once. */
  record Permanent(String code, String message) implements SendResult {}
}
