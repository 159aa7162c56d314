package dev.notify.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSupportTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-25T10:00:00Z"), ZoneOffset.UTC);
  private static final Duration CAP = Duration.ofMinutes(10);
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  @Test
  void retryAfterSeconds_isThatDelay() {
    assertThat(ProviderSupport.retryAfter(" 30 ", CLOCK, CAP)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retryAfterHttpDate_isTheDelayUntilThatDate() {
    assertThat(ProviderSupport.retryAfter("Wed, 25 Jun 2025 10:01:30 GMT", CLOCK, CAP)).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void retryAfterHttpDateInThePast_isZero() {
    assertThat(ProviderSupport.retryAfter("Wed, 25 Jun 2025 09:00:00 GMT", CLOCK, CAP)).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfterLongerThanTheCap_isCut_asSecondsAndAsDate() {
    assertThat(ProviderSupport.retryAfter("86400", CLOCK, CAP)).isEqualTo(CAP);
    assertThat(ProviderSupport.retryAfter("Thu, 26 Jun 2025 10:00:00 GMT", CLOCK, CAP)).isEqualTo(CAP);
  }

  @Test
  void retryAfterWithMoreDigitsThanALong_isTheCap() {
    assertThat(ProviderSupport.retryAfter("99999999999999999999999", CLOCK, CAP)).isEqualTo(CAP);
  }

  @Test
  void retryAfterAbsentBlankOrUnreadable_isNull() {
    assertThat(ProviderSupport.retryAfter(null, CLOCK, CAP)).isNull();
    assertThat(ProviderSupport.retryAfter("  ", CLOCK, CAP)).isNull();
    assertThat(ProviderSupport.retryAfter("soon", CLOCK, CAP)).isNull();
    assertThat(ProviderSupport.retryAfter("-5", CLOCK, CAP)).isNull();
  }

  @Test
  void growingBackoff_isBaseToTheAttemptSeconds() {
    assertThat(ProviderSupport.growingBackoff(4, 1, CAP)).isEqualTo(Duration.ofSeconds(4));
    assertThat(ProviderSupport.growingBackoff(4, 2, CAP)).isEqualTo(Duration.ofSeconds(16));
    assertThat(ProviderSupport.growingBackoff(4, 3, CAP)).isEqualTo(Duration.ofSeconds(64));
  }

  @Test
  void growingBackoff_countsAttemptsBelowOneAsOne() {
    assertThat(ProviderSupport.growingBackoff(4, 0, CAP)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void growingBackoff_isCappedWithoutOverflowingOnHugeAttempts() {
    assertThat(ProviderSupport.growingBackoff(4, 5, CAP)).isEqualTo(CAP); // 1024 s > 600 s
    assertThat(ProviderSupport.growingBackoff(4, Integer.MAX_VALUE, CAP)).isEqualTo(CAP);
  }

  @Test
  void secretMatches_onlyTheExactSecret() {
    assertThat(ProviderSupport.secretMatches("hook-secret", "hook-secret")).isTrue();
    assertThat(ProviderSupport.secretMatches("hook-secret", "hook-secreT")).isFalse();
    assertThat(ProviderSupport.secretMatches("hook-secret", "hook-secret-and-more")).isFalse();
    assertThat(ProviderSupport.secretMatches("hook-secret", "")).isFalse();
    assertThat(ProviderSupport.secretMatches("hook-secret", null)).isFalse();
  }

  @Test
  void sharedSecret_isReadFromTheQueryOrTheHeader() {
    WebhookRequest inQuery = WebhookRequest.of("POST", Map.of("secret", List.of("s3cret")), Map.of(), BODY);
    WebhookRequest inHeader = WebhookRequest.of("POST", Map.of(), Map.of("x-notify-secret", "s3cret"), BODY);

    assertThat(ProviderSupport.sharedSecretMatches(inQuery, "s3cret")).isTrue();
    assertThat(ProviderSupport.sharedSecretMatches(inHeader, "s3cret")).isTrue();
  }

  @Test
  void sharedSecret_wrongOrMissing_doesNotMatch_andTheQueryWinsOverTheHeader() {
    WebhookRequest wrong = WebhookRequest.of("POST", Map.of("secret", List.of("guess")), Map.of(), BODY);
    WebhookRequest missing = WebhookRequest.of("POST", Map.of(), Map.of(), BODY);
    WebhookRequest wrongQueryRightHeader = WebhookRequest.of("POST", Map.of("secret", List.of("guess")), Map.of("X-Notify-Secret", "s3cret"), BODY);

    assertThat(ProviderSupport.sharedSecretMatches(wrong, "s3cret")).isFalse();
    assertThat(ProviderSupport.sharedSecretMatches(missing, "s3cret")).isFalse();
    assertThat(ProviderSupport.sharedSecretMatches(wrongQueryRightHeader, "s3cret")).isFalse();
  }

  @Test
  void requireSecret_stripsTheValue_andRejectsBlankWithoutEchoingIt() {
    assertThat(ProviderSupport.requireSecret("  tok  ", "token")).isEqualTo("tok");
    assertThatThrownBy(() -> ProviderSupport.requireSecret("   ", "token"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("token must not be blank");
    assertThatThrownBy(() -> ProviderSupport.requireSecret(null, "apiKey"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("apiKey must not be blank");
  }

  @Test
  void requirePositive_rejectsNullZeroAndNegativeNamingTheValue() {
    assertThat(ProviderSupport.requirePositive(Duration.ofSeconds(1), "readTimeout")).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> ProviderSupport.requirePositive(Duration.ZERO, "readTimeout"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("readTimeout must be a positive duration, got PT0S");
    assertThatThrownBy(() -> ProviderSupport.requirePositive(Duration.ofSeconds(-1), "readTimeout"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("readTimeout must be a positive duration, got PT-1S");
    assertThatThrownBy(() -> ProviderSupport.requirePositive(null, "connectTimeout"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be a positive duration, got null");
  }
}
