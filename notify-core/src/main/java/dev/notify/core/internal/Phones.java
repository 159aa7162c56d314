package dev.notify.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;

/**
 * Phone numbers: normalisation to E.164 with libphonenumber (results cached, parsing is the costly part of
 * fire) and masking for logs.
 */
public final class Phones {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final String INVALID = "";

  private final String defaultRegion;
  private final Cache<String, String> cache = Caffeine.newBuilder().maximumSize(100_000).build();

  public Phones(String defaultRegion) {
    if (!UTIL.getSupportedRegions().contains(defaultRegion)) {
      throw new IllegalArgumentException("default region must be an ISO 3166 region libphonenumber supports, got '" + defaultRegion + "'");
    }
    this.defaultRegion = defaultRegion;
  }

  public String defaultRegion() { return defaultRegion; }

  /**
   * E.164 ({@code +6281234567890}) for a number written as users write them: {@code 0812-3456-7890},
   * {@code +62 812 3456 7890}, {@code 6281234567890}, {@code 81234567890}. Empty when it is not a valid
   * number.
   */
  public Optional<String> normalize(String raw) {
    if (raw == null) return Optional.empty();
    String cached = cache.get(raw, this::parse);
    return cached.isEmpty() ? Optional.empty() : Optional.of(cached);
  }

  private String parse(String raw) {
    String s = raw.strip();
    if (s.isEmpty() || s.length() > 32) return INVALID;
    StringBuilder digits = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') digits.append(c);
      else if (c == '+' && digits.length() == 0 && i == 0) continue;
      else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') continue;
      else return INVALID;
    }
    String d = digits.toString();
    if (d.isEmpty()) return INVALID;
    String candidate;
    if (s.startsWith("+") || s.startsWith("00")) {
      candidate = "+" + (s.startsWith("00") ? d.substring(2) : d);
    } else if (d.startsWith("0")) {
      candidate = d; // national format, parsed with the default region
    } else {
      int cc = UTIL.getCountryCodeForRegion(defaultRegion);
      String ccs = Integer.toString(cc);
      // "62812..." already carries the country code; "812..." does not (the FAQ's pitfall: 62 is also an area code).
      candidate = d.startsWith(ccs) && tryValid("+" + d) ? "+" + d : d;
    }
    try {
      Phonenumber.PhoneNumber n = UTIL.parse(candidate, defaultRegion);
      if (!UTIL.isValidNumber(n)) return INVALID;
      return UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
    } catch (NumberParseException e) {
      return INVALID;
    }
  }

  private static boolean tryValid(String e164) {
    try {
      return UTIL.isValidNumber(UTIL.parse(e164, null));
    } catch (NumberParseException e) {
      return false;
    }
  }

  /** {@code +6281234567890} → {@code +62812*****890}; keeps at most the first 6 and last 3 characters. */
  public static String mask(String phone) {
    if (phone == null) return "null";
    int n = phone.length();
    if (n <= 6) return "*".repeat(n);
    int keepStart = Math.min(6, n / 2);
    int keepEnd = n >= 10 ? 3 : 1;
    return phone.substring(0, keepStart) + "*".repeat(n - keepStart - keepEnd) + phone.substring(n - keepEnd);
  }
}
