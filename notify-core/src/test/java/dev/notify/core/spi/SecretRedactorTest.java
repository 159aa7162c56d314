package dev.notify.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretRedactorTest {

  @Test
  void everySecret_isReplacedWherever_itAppears() {
    SecretRedactor redactor = SecretRedactor.of("tok-123", "hook-456");

    assertThat(redactor.redact("bad token tok-123 (hook hook-456, again tok-123)"))
        .isEqualTo("bad token *** (hook ***, again ***)");
  }

  @Test
  void nullAndBlankSecrets_areIgnored_soTheyDoNotBlankOutSpaces() {
    SecretRedactor redactor = SecretRedactor.of("tok-123", null, " ");

    assertThat(redactor.redact("a tok-123 b")).isEqualTo("a *** b");
  }

  @Test
  void whitespace_isCollapsedAndStripped() {
    assertThat(SecretRedactor.of().redact("  <h1>502</h1>\n\n\t Bad   Gateway \r\n")).isEqualTo("<h1>502</h1> Bad Gateway");
  }

  @Test
  void longText_isCutToMaxCharsEndingInAnEllipsis() {
    String redacted = SecretRedactor.of().redact("x".repeat(1000));

    assertThat(redacted).hasSize(SecretRedactor.MAX_CHARS).endsWith("…");
    assertThat(SecretRedactor.MAX_CHARS).isEqualTo(300);
  }

  @Test
  void textOfExactlyMaxChars_isKeptWhole() {
    String text = "y".repeat(SecretRedactor.MAX_CHARS);

    assertThat(SecretRedactor.of().redact(text)).isEqualTo(text);
  }

  @Test
  void secretStraddlingTheCut_isRedactedBeforeCutting() {
    String text = "e".repeat(295) + "tok-123456789";

    assertThat(SecretRedactor.of("tok-123456789").redact(text)).isEqualTo("e".repeat(295) + "***");
  }

  @Test
  void nullText_isEmpty() {
    assertThat(SecretRedactor.of("tok").redact(null)).isEmpty();
  }

  @Test
  void toString_namesNoSecret() {
    assertThat(SecretRedactor.of("tok-123", "hook-456").toString()).doesNotContain("tok-123").doesNotContain("hook-456");
  }

  /** Before, a gateway's body that echoed the recipient reached the logs and the entry's last error in full. */
  @Test
  void phoneNumbersInTheText_areMasked() {
    String out = SecretRedactor.of().redact("{\"contacts\":[{\"input\":\"6281234567890\",\"wa_id\":\"+6281234567890\"}]}");

    assertThat(out).doesNotContain("6281234567890").contains("628123****890").contains("+62812*****890");
  }

  @Test
  void shortNumbersAndLongerDigitRuns_areLeftAsTheyAre() {
    assertThat(SecretRedactor.of().redact("code 131056, retry in 3600 s, trace 12345678901234567890"))
        .isEqualTo("code 131056, retry in 3600 s, trace 12345678901234567890");
  }

  /** Before, a secret inside a longer one was replaced first and left the rest of the longer one visible. */
  @Test
  void aSecretInsideALongerOne_doesNotLeaveTheRestOfTheLongerOneVisible() {
    assertThat(SecretRedactor.of("key-123", "number-key-123-xyz").redact("auth number-key-123-xyz and key-123"))
        .isEqualTo("auth *** and ***");
  }
}
