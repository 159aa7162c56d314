package dev.notify.core.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Makes a gateway's text safe to put into a {@link SendResult} or a log line: each secret is replaced by
 * {@code ***}, each run of 8 to 15 digits (a phone number a gateway echoes back) is masked as log lines mask
 * phones, runs of whitespace become one space, and the result is cut to {@value #MAX_CHARS} characters (ending in
 * {@code …}). Immutable and thread-safe; build one per provider from its secrets.
 *
 * <pre>{@code
 * SecretRedactor redactor = SecretRedactor.of(token, webhookSecret);
 * return SendResult.retryable("http_" + status, redactor.redact("Acme answered " + status + ": " + body));
 * }</pre>
 */
public final class SecretRedactor {
  /** Redacted texts are cut to this many characters. */
  public static final int MAX_CHARS = 300;

  private final List<String> secrets;

  private static final java.util.regex.Pattern PHONE = java.util.regex.Pattern.compile("(?<!\\d)\\+?\\d{8,15}(?!\\d)");

  private SecretRedactor(List<String> secrets) {
    // longest first: a secret inside another (a key inside a longer one) must not leave the rest of the longer one
    this.secrets = secrets.stream().sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** A redactor for these secrets; null and blank ones are ignored (an optional secret that was not set). */
  public static SecretRedactor of(String... secrets) {
    return new SecretRedactor(Arrays.stream(secrets).filter(Objects::nonNull).filter(s -> !s.isBlank()).toList());
  }

  /** The text with secrets replaced, whitespace collapsed and stripped, cut to {@value #MAX_CHARS}; "" for null. */
  public String redact(String text) {
    if (text == null) return "";
    String s = text;
    for (String secret : secrets) s = s.replace(secret, "***");
    s = PHONE.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(dev.notify.core.internal.Phones.mask(m.group())));
    s = s.replaceAll("\\s+", " ").strip();
    return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS - 1) + "…";
  }

  /** Names how many secrets it hides, never the secrets. */
  @Override
  public String toString() { return "SecretRedactor{" + secrets.size() + " secret(s)}"; }
}
