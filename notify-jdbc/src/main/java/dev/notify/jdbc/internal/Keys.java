package dev.notify.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Dedupe and rate-limit keys as stored: the key itself up to 200 characters, else a SHA-256 digest of it. */
public final class Keys {
  static final int MAX_PLAIN = 200;

  private Keys() {}

  public static String stored(String key) {
    if (key.length() <= MAX_PLAIN) return key;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
