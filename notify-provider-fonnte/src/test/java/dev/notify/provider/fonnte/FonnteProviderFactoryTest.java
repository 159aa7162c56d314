package dev.notify.provider.fonnte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.ProviderConfigurationException;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

class FonnteProviderFactoryTest {

  @Test
  void serviceLoader_findsTheFonnteFactory() {
    assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(f -> {
          assertThat(f).isInstanceOf(FonnteProviderFactory.class);
          assertThat(f.id()).isEqualTo("fonnte");
        });
  }

  @Test
  void missingToken_failsNamingTheSettingAndEnvironmentVariable() {
    assertThatThrownBy(() -> new FonnteProviderFactory().create(ProviderConfig.of("fonnte", Map.of())))
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageContaining("'token'").hasMessageContaining("NOTIFY_FONNTE_TOKEN");
  }

  @Test
  void blankToken_failsLikeAMissingOne() {
    assertThatThrownBy(() -> new FonnteProviderFactory().create(ProviderConfig.of("fonnte", Map.of("token", "  "))))
        .isInstanceOf(ProviderConfigurationException.class).hasMessageContaining("'token'");
  }

  @Test
  void invalidCountryCode_failsNamingTheSettingAndValue() {
    assertThatThrownBy(() -> new FonnteProviderFactory().create(ProviderConfig.of("fonnte", Map.of("token", "t", "country-code", "ID"))))
        .isInstanceOf(ProviderConfigurationException.class).hasMessageContaining("'country-code'").hasMessageContaining("'ID'");
  }

  @Test
  void properties_configureTokenBaseUrlAndCountryCode() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody(FonnteProviderSendTest.SUCCESS));
      Properties props = new Properties();
      props.setProperty("notify.fonnte.token", "prop-token");
      props.setProperty("notify.fonnte.base-url", server.url("/").toString());
      props.setProperty("notify.fonnte.country-code", "60");
      ProviderConfig config = new ProviderConfig("fonnte", Map.of(), props::getProperty, k -> null);

      try (WhatsAppProvider p = new FonnteProviderFactory().create(config)) {
        assertThat(p.send(FonnteProviderSendTest.text("Hi"))).isEqualTo(SendResult.accepted("142223099"));
      }
      RecordedRequest r = server.takeRequest();
      assertThat(r.getHeader("Authorization")).isEqualTo("prop-token");
      assertThat(FonnteProviderSendTest.formFields(r)).containsEntry("countryCode", "60");
    }
  }
}
