package dev.notify.core.spi;

import dev.notify.core.ProviderConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settings for one provider, looked up in order: values set on the engine builder, then a properties
 * source ({@code notify.<provider>.<key>}), then environment variables ({@code NOTIFY_<PROVIDER>_<KEY>},
 * upper case, dots and dashes as underscores). Example: key {@code token} of provider {@code fonnte} is
 * {@code notify.fonnte.token} or {@code NOTIFY_FONNTE_TOKEN}.
 */
public final class ProviderConfig {
  private final String providerId;
  private final Map<String, String> explicit;
  private final Function<String, String> properties;
  private final Function<String, String> env;

  public ProviderConfig(String providerId, Map<String, String> explicit, Function<String, String> properties,
                        Function<String, String> env) {
    this.providerId = providerId;
    this.explicit = Map.copyOf(explicit);
    this.properties = properties;
    this.env = env;
  }

  /** Config from explicit values only (for tests). */
  public static ProviderConfig of(String providerId, Map<String, String> values) {
    return new ProviderConfig(providerId, values, k -> null, k -> null);
  }

  public String providerId() { return providerId; }

  /** The property name for a key, e.g. {@code notify.fonnte.token}. */
  public String propertyName(String key) { return "notify." + providerId + "." + key; }

  /** The environment variable for a key, e.g. {@code NOTIFY_FONNTE_TOKEN}. */
  public String envName(String key) {
    return ("NOTIFY_" + providerId + "_" + key).toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * The setting from the builder, else the properties, else the environment; a blank value counts as absent, so
   * {@code notify.fonnte.token=} in a file does not hide {@code NOTIFY_FONNTE_TOKEN}.
   */
  public Optional<String> get(String key) {
    Optional<String> v = present(explicit.get(key));
    if (v.isEmpty()) v = present(properties.apply(propertyName(key)));
    if (v.isEmpty()) v = present(env.apply(envName(key)));
    return v;
  }

  private static Optional<String> present(String v) {
    return Optional.ofNullable(v).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** @throws ProviderConfigurationException naming the setting (never its value) when missing or blank */
  public String require(String key) {
    return get(key).orElseThrow(() -> new ProviderConfigurationException("provider '" + providerId + "' needs setting '"
        + key + "' (builder providerSetting, property " + propertyName(key) + " or environment variable " + envName(key)
        + "), but it is missing or blank"));
  }

  public String get(String key, String defaultValue) { return get(key).orElse(defaultValue); }

  /**
   * A duration: a number with a unit ({@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h}, {@code 1d}, as the
   * settings tables write them), ISO-8601 ({@code PT10S}) or plain milliseconds.
   */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) return defaultValue;
    String s = v.get().strip();
    try {
      if (s.chars().allMatch(Character::isDigit)) return Duration.ofMillis(Long.parseLong(s));
      java.util.regex.Matcher m = SHORT_DURATION.matcher(s);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms": return Duration.ofMillis(n);
          case "s": return Duration.ofSeconds(n);
          case "m": return Duration.ofMinutes(n);
          case "h": return Duration.ofHours(n);
          default: return Duration.ofDays(n);
        }
      }
      return Duration.parse(s);
    } catch (RuntimeException e) {
      throw new ProviderConfigurationException("provider '" + providerId + "' setting '" + key
          + "' must be a duration like 15s, 2m, PT10S or milliseconds, got '" + s + "'");
    }
  }

  private static final java.util.regex.Pattern SHORT_DURATION = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  /**
   * Runs {@code setter}, which passes setting {@code key} to a provider builder; an
   * {@link IllegalArgumentException} it throws becomes a {@link ProviderConfigurationException} naming the
   * provider, the setting, its property and environment variable, and the builder's message. Builders must
   * therefore never put a secret value in such a message.
   *
   * <pre>{@code
   * config.get("base-url").ifPresent(v -> config.apply("base-url", () -> builder.baseUrl(v)));
   * config.apply("read-timeout", () -> builder.readTimeout(config.duration("read-timeout", Duration.ofSeconds(15))));
   * }</pre>
   */
  public void apply(String key, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new ProviderConfigurationException("provider '" + providerId + "' setting '" + key + "' ("
          + propertyName(key) + " / " + envName(key) + ") is invalid: " + e.getMessage(), e);
    }
  }

  public int integer(String key, int defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) return defaultValue;
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new ProviderConfigurationException("provider '" + providerId + "' setting '" + key
          + "' must be an integer, got '" + v.get() + "'");
    }
  }
}
