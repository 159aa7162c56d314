package dev.notify.provider.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notify.core.ProviderConfigurationException;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.ProviderFactory;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WhatsAppProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

class MetaProviderFactoryTest {

  @Test
  void serviceLoader_findsTheMetaFactory() {
    assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(f -> {
          assertThat(f).isInstanceOf(MetaProviderFactory.class);
          assertThat(f.id()).isEqualTo("meta");
        });
  }

  @Test
  void missingToken_failsNamingTheSettingPropertyAndEnvironmentVariable() {
    ProviderConfig config = ProviderConfig.of("meta", Map.of("phone-number-id", "123"));

    assertThatThrownBy(() -> new MetaProviderFactory().create(config))
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageContaining("'token'").hasMessageContaining("notify.meta.token").hasMessageContaining("NOTIFY_META_TOKEN");
  }

  @Test
  void blankPhoneNumberId_failsNamingTheSettingButNotTheToken() {
    ProviderConfig config = ProviderConfig.of("meta", Map.of("token", "tok-secret-1", "phone-number-id", "   "));

    assertThatThrownBy(() -> new MetaProviderFactory().create(config))
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageContaining("'phone-number-id'").hasMessageNotContaining("tok-secret-1");
  }

  @Test
  void invalidApiVersion_failsNamingTheSettingAndValue() {
    ProviderConfig config = ProviderConfig.of("meta", Map.of("token", "t", "phone-number-id", "123", "api-version", "latest"));

    assertThatThrownBy(() -> new MetaProviderFactory().create(config))
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageContaining("'api-version'").hasMessageContaining("'latest'");
  }

  @Test
  void invalidReadTimeout_failsNamingTheSetting() {
    ProviderConfig config = ProviderConfig.of("meta", Map.of("token", "t", "phone-number-id", "123", "read-timeout", "soon"));

    assertThatThrownBy(() -> new MetaProviderFactory().create(config))
        .isInstanceOf(ProviderConfigurationException.class).hasMessageContaining("'read-timeout'");
  }

  @Test
  void zeroMaxConcurrency_failsNamingTheSetting() {
    ProviderConfig config = ProviderConfig.of("meta", Map.of("token", "t", "phone-number-id", "123", "max-concurrency", "0"));

    assertThatThrownBy(() -> new MetaProviderFactory().create(config))
        .isInstanceOf(ProviderConfigurationException.class).hasMessageContaining("'max-concurrency'");
  }

  @Test
  void environmentVariables_configureTokenPhoneNumberIdVersionAndBaseUrl() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody("{\"messages\":[{\"id\":\"wamid.ENV\"}]}"));
      Map<String, String> env = new HashMap<>();
      env.put("NOTIFY_META_TOKEN", "env-token");
      env.put("NOTIFY_META_PHONE_NUMBER_ID", "555");
      env.put("NOTIFY_META_API_VERSION", "v19.0");
      env.put("NOTIFY_META_BASE_URL", server.url("/graph").toString());
      ProviderConfig config = new ProviderConfig("meta", Map.of(), k -> null, env::get);

      try (WhatsAppProvider p = new MetaProviderFactory().create(config)) {
        assertThat(p.send(MetaProviderSendTest.text("Hi"))).isEqualTo(SendResult.accepted("wamid.ENV"));
      }
      var request = server.takeRequest();
      assertThat(request.getPath()).isEqualTo("/graph/v19.0/555/messages");
      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer env-token");
    }
  }
}
