package dev.notify.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.ProviderConfigurationException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {
  private final ProviderConfig config = ProviderConfig.of("acme", Map.of("country-code", "ID"));

  @Test
  void apply_runsTheSetter() {
    AtomicReference<String> set = new AtomicReference<>();

    config.apply("country-code", () -> set.set(config.require("country-code")));

    assertThat(set).hasValue("ID");
  }

  @Test
  void apply_turnsTheSettersIllegalArgumentIntoAConfigErrorNamingTheSettingAndWhereToSetIt() {
    IllegalArgumentException cause = new IllegalArgumentException("countryCode must be 1 to 4 digits, got 'ID'");

    assertThatThrownBy(() -> config.apply("country-code", () -> { throw cause; }))
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessage("provider 'acme' setting 'country-code' (notify.acme.country-code / NOTIFY_ACME_COUNTRY_CODE) is invalid: "
            + "countryCode must be 1 to 4 digits, got 'ID'")
        .hasCause(cause);
  }

  @Test
  void apply_letsOtherExceptionsThrough() {
    IllegalStateException other = new IllegalStateException("not a setting problem");

    assertThatThrownBy(() -> config.apply("country-code", () -> { throw other; })).isSameAs(other);
  }

  /** Before, the blank line in the file stopped the lookup and the setting was "missing or blank". */
  @Test
  void aBlankSettingInTheProperties_doesNotHideTheEnvironmentVariable() {
    ProviderConfig c = new ProviderConfig("fonnte", Map.of(), k -> k.equals("notify.fonnte.token") ? "  " : null,
        k -> k.equals("NOTIFY_FONNTE_TOKEN") ? "from-env" : null);

    assertThat(c.require("token")).isEqualTo("from-env");
  }
}
