package dev.notify.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PhonesTest {
  private final Phones phones = new Phones("ID");

  @ParameterizedTest
  @CsvSource({
      "0812-3456-7890, +6281234567890",
      "0812 3456 7890, +6281234567890",
      "(0812) 3456.7890, +6281234567890",
      "+62 812 3456 7890, +6281234567890",
      "6281234567890, +6281234567890",
      "81234567890, +6281234567890",
      "0062 812 3456 7890, +6281234567890",
      "021-5550-1234, +622155501234",
      "+1 650 253 0000, +16502530000",
      "+44 20 7946 0958, +442079460958",
  })
  void normalize_writesNumbersAsUsersWriteThemInE164(String raw, String e164) {
    assertThat(phones.normalize(raw)).contains(e164);
  }

  /**
   * Numbers as they arrive from WhatsApp's "copy number", spreadsheets, word processors and web forms. Before, any
   * character outside {@code 0-9 + space - ( ) .} refused the number, and strip() left the no-break space.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "\u202A+62 812-3456-7890\u202C",           // WhatsApp's "copy number": left-to-right embedding ... pop
      "\u2068+62 812-3456-7890\u2069",           // first-strong isolate ... pop
      "0812\u00A03456\u00A07890",                // no-break spaces (a spreadsheet cell)
      "\u00A00812-3456-7890\u00A0",              // leading and trailing no-break space
      "0812\u202F3456\u20097890",                // narrow no-break space, thin space
      "\uFF10\uFF18\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19\uFF10", // full-width digits
      "\uFF0B\uFF16\uFF12 812 3456 7890",       // full-width plus and country code
      "0812\u20133456\u20137890",                // en dashes
      "0812\u22123456\u22127890",                // minus signs
      "0812\u200B3456\u200B7890",                // zero-width spaces
      "\uFEFF081234567890",                       // byte order mark from a CSV file
      "tel:+62-812-3456-7890",
      "TEL:0812 3456 7890",
      "(+62) 812 3456 7890",
      "0812-3456-7890;",                          // what a CSV cell leaves behind joins nothing
      "0812-3456-7890, ",
  })
  void normalize_acceptsNumbersWithInvisibleCharactersAndOtherSeparators(String raw) {
    assertThat(phones.normalize(raw)).as(raw).contains("+6281234567890");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0812-3456-7890 x5", "0812-3456-7890 ext. 5", "0812-3456-7890#5", "0812 3456 ABCD", "tel:", "tel:abc",
      "0812-3456-7890, 0813-1111-2222", "0812-3456-7890 / 0813-1111", "\u202A\u202C", "\u00A0", "0812\t3456\t7890",
      "0081\u20132345\u201367890"})
  void normalize_stillRefusesWhatIsNotOneValidNumber(String raw) {
    assertThat(phones.normalize(raw)).as(raw).isEmpty();
  }

  /**
   * Two numbers written as one ("021-555-1234/5": the office's lines ending 4 and 5) are refused. Briefly, the slow
   * path read their digits as one number: +622155512345 and +62812345678901, someone else's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"021-555-1234/5", "0812-3456-7890/1", "0812345678/9", "0812/3456/7890", "0812-3456-7890;1",
      "021\u2013555\u20131234/5", "021-555-1234\uFF0F5", "0812-3456-7890\uFF0C0813"})
  void normalize_refusesNumbersJoinedBySlashesOrPunctuation(String raw) {
    assertThat(phones.normalize(raw)).as(raw).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "12ab", "0812", "08123456789012345678", "+62", "phone: 0812", "+1 000 000 0000", "0812-3456-7890 ext 5"})
  void normalize_refusesWhatIsNotAValidNumber(String raw) {
    assertThat(phones.normalize(raw)).isEmpty();
  }

  /** Before, any leading "00" was an international prefix: a local number typed with one 0 too many went abroad. */
  @Test
  void aLocalNumberWithAnExtraZero_isRefused_notReadAsAForeignNumber() {
    assertThat(phones.normalize("0081234567890")).isEmpty();
  }

  @Test
  void normalize_ofNull_isEmpty() {
    assertThat(phones.normalize(null)).isEmpty();
  }

  @Test
  void fastPath_agreesWithLibphonenumbersFullParse() throws Exception {
    var util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
    for (int i = 0; i < 3_000; i++) {
      String national = (i % 3 == 0 ? "21" : i % 3 == 1 ? "812" : "857") + String.format("%0" + (4 + i % 6) + "d", i * 4_999L % 1_000_000);
      var parsed = util.parse("0" + national, "ID");
      String expected = util.isValidNumber(parsed) ? util.format(parsed, com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat.E164) : null;
      assertThat(phones.normalize("0" + national).orElse(null)).as(national).isEqualTo(expected);
      if (expected != null) assertThat(phones.normalize("62" + national)).as("62" + national).contains(expected);
    }
  }

  @Test
  void otherDefaultRegion_appliesItsOwnCountryCode() {
    assertThat(new Phones("MY").normalize("012-345 6789")).contains("+60123456789");
  }

  @Test
  void unknownRegion_isRefused() {
    assertThatThrownBy(() -> new Phones("XX")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'XX'");
  }

  @Test
  void mask_keepsOnlyTheEnds() {
    assertThat(Phones.mask("+6281234567890")).isEqualTo("+62812*****890");
    assertThat(Phones.mask("12345")).isEqualTo("*****");
    assertThat(Phones.mask(null)).isEqualTo("null");
  }
}
