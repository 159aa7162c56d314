package dev.notify.provider.watzap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notify.core.ProviderConfigurationException;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.util.Map;
import java.util.ServiceLoader;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

class WatzapProviderFactoryTest {

  @Test
  void serviceLoader_findsTheWatzapFactory() {
    assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(f -> {
          assertThat(f).isInstanceOf(WatzapProviderFactory.class);
          assertThat(f.id()).isEqualTo("watzap");
        });
  }

  @Test
  void missingApiKey_failsNamingTheSetting() {
    assertThatThrownBy(() -> new WatzapProviderFactory().create(ProviderConfig.of("watzap", Map.of("number-key", "n"))))
        .isInstanceOf(ProviderConfigurationException.class).hasMessageContaining("'api-key'").hasMessageContaining("NOTIFY_WATZAP_API_KEY");
  }

  @Test
  void blankNumberKey_failsNamingTheSettingButNotTheApiKey() {
    assertThatThrownBy(() -> new WatzapProviderFactory().create(ProviderConfig.of("watzap", Map.of("api-key", "api-secret-1", "number-key", " "))))
        .isInstanceOf(ProviderConfigurationException.class).hasMessageContaining("'number-key'")
        .hasMessageContaining("NOTIFY_WATZAP_NUMBER_KEY").hasMessageNotContaining("api-secret-1");
  }

  @Test
  void environmentVariables_configureKeysAndBaseUrl() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody(WatzapProviderSendTest.SUCCESS));
      Map<String, String> env = Map.of("NOTIFY_WATZAP_API_KEY", "env-api", "NOTIFY_WATZAP_NUMBER_KEY", "env-number",
          "NOTIFY_WATZAP_BASE_URL", server.url("/v1").toString());
      ProviderConfig config = new ProviderConfig("watzap", Map.of(), k -> null, env::get);

      try (WhatsAppProvider p = new WatzapProviderFactory().create(config)) {
        assertThat(p.send(WatzapProviderSendTest.text("Hi"))).isEqualTo(SendResult.accepted(null));
      }
      var body = new ObjectMapper().readTree(server.takeRequest().getBody().readUtf8());
      assertThat(body.path("api_key").asText()).isEqualTo("env-api");
      assertThat(body.path("number_key").asText()).isEqualTo("env-number");
    }
  }
}
