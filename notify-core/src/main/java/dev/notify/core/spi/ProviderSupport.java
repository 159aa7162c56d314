package dev.notify.core.spi;

import dev.notify.core.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Small helpers for provider authors: reading a gateway's {@code Retry-After}, a growing backoff hint,
 * constant-time secret checks for webhooks, and builder validation. Pure Java; no HTTP client needed.
 * See also {@link SecretRedactor} for making gateway texts safe to return.
 */
public final class ProviderSupport {
  /** The query parameter that carries a webhook's shared secret: {@code ?secret=...}. */
  public static final String SECRET_QUERY_PARAMETER = "secret";
  /** The header that carries a webhook's shared secret when it is not in the query. */
  public static final String SECRET_HEADER = "X-Notify-Secret";

  private ProviderSupport() {}

  /**
   * A {@code Retry-After} header value (a delay in seconds, or an HTTP date as in RFC 1123) as a delay from
   * {@code clock}'s now, at most {@code cap}. A date in the past is zero; more digits than fit a long are
   * {@code cap}.
   *
   * @return the delay, or null when the header is absent, blank or unreadable
   */
  public static Duration retryAfter(String header, Clock clock, Duration cap) {
    if (header == null || header.isBlank()) return null;
    String v = header.trim();
    Duration d;
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        d = Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException | ArithmeticException e) {
        d = cap; // more digits than a long: longer than any cap
      }
    } else {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        d = Duration.between(clock.instant(), at.toInstant());
        if (d.isNegative()) d = Duration.ZERO;
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return d.compareTo(cap) > 0 ? cap : d;
  }

  /**
   * {@code base^attempt} seconds (attempt below 1 counts as 1), at most {@code cap}: a retry hint for a
   * gateway that asks to back off more on each attempt but sends no {@code Retry-After}.
   */
  public static Duration growingBackoff(int base, int attempt, Duration cap) {
    long seconds = 1;
    for (int i = 0; i < Math.max(1, attempt) && seconds < cap.getSeconds(); i++) seconds *= base;
    Duration d = Duration.ofSeconds(seconds);
    return d.compareTo(cap) > 0 ? cap : d;
  }

  /**
   * Whether {@code given} equals {@code expected}, compared in constant time (so that response timing does not
   * reveal how much of a guess was right). False when {@code given} is null.
   */
  public static boolean secretMatches(String expected, String given) {
    return given != null
        && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether a webhook request carries the shared {@code secret} in the query ({@value #SECRET_QUERY_PARAMETER}) or,
   * failing that, in the {@value #SECRET_HEADER} header; compared in constant time. For gateways that sign
   * nothing, this secret in the callback URL is the only proof a callback is genuine.
   */
  public static boolean sharedSecretMatches(WebhookRequest request, String secret) {
    String given = request.queryParam(SECRET_QUERY_PARAMETER).or(() -> request.header(SECRET_HEADER)).orElse(null);
    return secretMatches(secret, given);
  }

  /**
   * For builder setters taking a secret: the value stripped.
   *
   * @throws IllegalArgumentException "{@code name} must not be blank" when null or blank (the value is never echoed)
   */
  public static String requireSecret(String value, String name) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    return value.strip();
  }

  /**
   * For builder setters taking a timeout or limit: the duration itself.
   *
   * @throws IllegalArgumentException naming {@code name} and the value when null, zero or negative
   */
  public static Duration requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
    return value;
  }
}
