package dev.notify.provider.watzap.internal;

import dev.notify.core.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A webhook secret shared with the provider through the callback URL ({@code ?secret=…}) or a header
 * ({@code X-Notify-Secret}), compared in constant time. The provider documents no signature, so this is
 * the only proof a callback is genuine.
 */
public final class SharedSecret {
  public static final String QUERY_PARAMETER = "secret";
  public static final String HEADER = "X-Notify-Secret";

  private final byte[] secret;

  public SharedSecret(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  public boolean matches(WebhookRequest request) {
    String given = request.queryParam(QUERY_PARAMETER).or(() -> request.header(HEADER)).orElse(null);
    return given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
  }
}
