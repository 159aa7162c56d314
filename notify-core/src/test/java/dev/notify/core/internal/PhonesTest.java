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
