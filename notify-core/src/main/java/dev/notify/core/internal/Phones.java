package dev.notify.core.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;

/**
 * Phone numbers: normalisation to E.164 with libphonenumber, and masking for logs.
 */
public final class Phones {
  /** The most characters of a raw phone value kept in a log: see {@link #forLog}. */
  public static final int LOG_LENGTH = 32;

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private final String defaultRegion;
  private final int countryCode;
  private final String countryCodeDigits;
  private final String nationalPrefix;

  public Phones(String defaultRegion) {
    if (!UTIL.getSupportedRegions().contains(defaultRegion)) {
      throw new IllegalArgumentException("default region must be an ISO 3166 region libphonenumber supports, got '" + defaultRegion + "'");
    }
    this.defaultRegion = defaultRegion;
    this.countryCode = UTIL.getCountryCodeForRegion(defaultRegion);
    this.countryCodeDigits = Integer.toString(countryCode);
    this.nationalPrefix = UTIL.getNddPrefixForRegion(defaultRegion, true);
  }

  public String defaultRegion() { return defaultRegion; }

  /**
   * E.164 ({@code +6281234567890}) for a number written as users write them: {@code 0812-3456-7890},
   * {@code +62 812 3456 7890}, {@code 6281234567890}, {@code 81234567890}. Empty when it is not a valid
   * number (libphonenumber's {@code isValidNumber}).
   *
   * <p>Space separators ({@code \p{Z}}: the no-break space of a spreadsheet, ...) and format characters
   * ({@code \p{Cf}}: the U+202A/U+202C marks WhatsApp's "copy number" wraps a number in, zero-width spaces)
   * are dropped anywhere, other white space at the ends, and so is a leading {@code tel:}. Numbers of the
   * default region then written with ASCII digits and {@code + - ( ) .} only take a fast path: the national
   * number is cut out directly and only validated by libphonenumber (about 1 µs instead of the 7 µs of a full
   * parse). Everything else ({@code 0812–3456–7890}, full-width digits) goes through
   * {@code PhoneNumberUtil.parse}, except a value with a letter in it (libphonenumber would read
   * {@code 0812 3456 ABC} as a vanity number), one where {@code / , ; | & \\} (or their full-width forms) join
   * more digits (libphonenumber would read {@code 021-555-1234/5}, two office lines, as one other number) and a
   * number with an extension: those are refused.
   */
  public Optional<String> normalize(String raw) {
    if (raw == null) return Optional.empty();
    String s = visible(raw).strip();
    if (s.regionMatches(true, 0, "tel:", 0, 4)) s = s.substring(4).strip();
    if (s.isEmpty() || s.length() > 32) return Optional.empty();
    StringBuilder digits = new StringBuilder(s.length());
    boolean plus = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') digits.append(c);
      else if (c == '+' && i == 0) plus = true;
      else if (c == '-' || c == '(' || c == ')' || c == '.') continue;
      else return Optional.ofNullable(hasLetter(s) || joinsNumbers(s) ? null : parse(s));
    }
    String d = digits.toString();
    if (d.isEmpty()) return Optional.empty();
    // Without '+', "00" is taken as an international prefix only before the default region's own country code
    // ("0062 812..."); other international prefixes are the region's own (Indonesia: 001, 007, 008...), which
    // libphonenumber knows. Taking any "00" for one turned a mistyped 0081 2345 67890 into a Japanese number.
    if (plus || d.startsWith("00" + countryCodeDigits)) {
      String intl = plus ? d : d.substring(2);
      if (intl.startsWith(countryCodeDigits)) {
        String fast = validNational(intl.substring(countryCodeDigits.length()));
        if (fast != null) return Optional.of(fast);
      }
      return Optional.ofNullable(parse("+" + intl));
    }
    if (nationalPrefix != null && !nationalPrefix.isEmpty() && d.startsWith(nationalPrefix)) {
      String fast = validNational(d.substring(nationalPrefix.length()));
      return Optional.ofNullable(fast != null ? fast : parse(d));
    }
    // "62812..." already carries the country code; "812..." does not (the FAQ's pitfall: 62 is also an area code).
    if (d.startsWith(countryCodeDigits)) {
      String fast = validNational(d.substring(countryCodeDigits.length()));
      if (fast != null) return Optional.of(fast);
    }
    String fast = validNational(d);
    return Optional.ofNullable(fast != null ? fast : parse(d));
  }

  /** E.164 if {@code national} is a valid national significant number of the default region, else null. */
  private String validNational(String national) {
    if (national.isEmpty() || national.length() > 17 || national.charAt(0) == '0') return null;
    Phonenumber.PhoneNumber n = new Phonenumber.PhoneNumber().setCountryCode(countryCode).setNationalNumber(Long.parseLong(national));
    return UTIL.isValidNumberForRegion(n, defaultRegion) ? "+" + countryCodeDigits + national : null;
  }

  /** {@code raw} without its space separators and format characters; {@code raw} itself when it has none. */
  private static String visible(String raw) {
    StringBuilder b = null;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      int n = Character.charCount(cp);
      int type = Character.getType(cp);
      boolean invisible = type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
      if (invisible && b == null) b = new StringBuilder(raw.length()).append(raw, 0, i);
      else if (!invisible && b != null) b.append(raw, i, i + n);
      i += n;
    }
    return b == null ? raw : b.toString();
  }

  /**
   * Whether {@code s} has a character that joins two numbers followed by more digits ("021-555-1234/5" for two office
   * lines, "0812..., 0813..."): libphonenumber reads the digits of both as one, and "021-555-1234/5" became
   * +622155512345, someone else's number. A trailing one ("0812-3456-7890;" from a CSV cell) joins nothing.
   */
  private static boolean joinsNumbers(String s) {
    boolean joiner = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("/,;|&\\\uFF0F\uFF0C\uFF1B\uFF5C\uFF06\uFF3C".indexOf(c) >= 0) joiner = true;
      else if (joiner && Character.isDigit(c)) return true;
    }
    return false;
  }

  private static boolean hasLetter(String s) {
    return s.codePoints().anyMatch(Character::isLetter);
  }

  private String parse(String candidate) {
    try {
      Phonenumber.PhoneNumber n = UTIL.parse(candidate, defaultRegion);
      // "0812-3456-7890 ext 5" is a valid number with an extension, which a WhatsApp number cannot have
      if (n.hasExtension() || !UTIL.isValidNumber(n)) return null;
      return UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
    } catch (NumberParseException e) {
      return null;
    }
  }

  /**
   * A phone number as it was given, cut to at most {@value #LOG_LENGTH} characters (the last one then "…"), for a
   * {@code DeliveryLog} of an invalid number and for messages. The value comes from the host's data (a free-text
   * contact column can hold a paragraph); a store's phone column is bounded (MariaDB: 255), and no valid number is
   * that long. Null stays null.
   */
  public static String forLog(String raw) {
    if (raw == null || raw.length() <= LOG_LENGTH) return raw;
    int end = LOG_LENGTH - 1;
    if (Character.isHighSurrogate(raw.charAt(end - 1))) end--; // not half a character
    return raw.substring(0, end) + "…";
  }

  /**
   * {@code +6281234567890} → {@code +62812*****890}; keeps at most the first 6 and last 3 characters. A value
   * longer than {@value #LOG_LENGTH} characters is first cut by {@link #forLog}.
   */
  public static String mask(String phone) {
    if (phone == null) return "null";
    phone = forLog(phone);
    int n = phone.length();
    if (n <= 6) return "*".repeat(n);
    int keepStart = Math.min(6, n / 2);
    int keepEnd = n >= 10 ? 3 : 1;
    return phone.substring(0, keepStart) + "*".repeat(n - keepStart - keepEnd) + phone.substring(n - keepEnd);
  }
}
