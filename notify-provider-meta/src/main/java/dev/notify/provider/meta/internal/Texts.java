package dev.notify.provider.meta.internal;

import java.util.List;
import java.util.Objects;

/**
 * Makes provider texts safe to hand to the engine and to logs: secrets replaced by {@code ***},
 * whitespace collapsed, cut to {@link HttpSupport#MAX_MESSAGE_CHARS}.
 */
public final class Texts {
  private final List<String> secrets;

  public Texts(String... secrets) {
    this.secrets = java.util.Arrays.stream(secrets).filter(Objects::nonNull).filter(s -> !s.isBlank()).toList();
  }

  public String safe(String text) {
    if (text == null) return "";
    String s = text;
    for (String secret : secrets) s = s.replace(secret, "***");
    s = s.replaceAll("\\s+", " ").strip();
    return s.length() <= HttpSupport.MAX_MESSAGE_CHARS ? s : s.substring(0, HttpSupport.MAX_MESSAGE_CHARS - 1) + "…";
  }
}
