package dev.notify.provider.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.notify.core.WebhookRequest;
import dev.notify.core.spi.ProviderConfig;
import dev.notify.core.spi.SendResult;
import dev.notify.core.spi.WebhookResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

/** Runs every failure path with logging at DEBUG and proves no secret reaches the logs, results or exceptions. */
class MetaSecretsNeverLeakTest {
  static final String TOKEN = "EAAG-leak-canary-token";
  static final String APP_SECRET = "leak-canary-app-secret";
  static final String VERIFY_TOKEN = "leak-canary-verify";

  @Test
  void tokenAppSecretAndVerifyToken_neverAppearInLogsResultsOrExceptions() throws Exception {
    List<String> texts = new ArrayList<>();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody("{\"messages\":[{\"id\":\"wamid.OK\"}]}"));
      server.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":{\"message\":\"Invalid OAuth access token - " + TOKEN
          + "\",\"code\":190}}"));
      server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>Authorization: Bearer " + TOKEN + "</html>"));
      server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "5"));
      server.enqueue(new MockResponse().setResponseCode(200).setBody("garbage " + TOKEN));
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

      Map<String, String> settings = Map.of("token", TOKEN, "phone-number-id", "123", "app-secret", APP_SECRET,
          "verify-token", VERIFY_TOKEN, "base-url", server.url("/").toString(), "read-timeout", "PT0.3S");
      try (var provider = new MetaProviderFactory().create(ProviderConfig.of("meta", settings))) {
        for (int i = 0; i < 7; i++) texts.add(describe(provider.send(MetaProviderSendTest.text("Hi"))));

        byte[] body = "{\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        for (WebhookRequest r : List.of(
            WebhookRequest.post(Map.of(), body),
            WebhookRequest.post(Map.of("X-Hub-Signature-256", MetaWebhookTest.sign(body, "wrong")), body),
            WebhookRequest.post(Map.of("X-Hub-Signature-256", MetaWebhookTest.sign("{".getBytes(StandardCharsets.UTF_8), APP_SECRET)),
                "{".getBytes(StandardCharsets.UTF_8)),
            MetaWebhookTest.verification("subscribe", "wrong", "42"),
            MetaWebhookTest.verification("subscribe", VERIFY_TOKEN, "42"))) {
          WebhookResult result = provider.handleWebhook(r);
          texts.add(result.response().body());
        }
        texts.add(provider.toString());
      }
      for (Map<String, String> bad : List.of(
          Map.of("token", TOKEN, "app-secret", APP_SECRET),
          Map.of("token", TOKEN, "phone-number-id", "x", "app-secret", APP_SECRET),
          Map.of("token", TOKEN, "phone-number-id", "1", "read-timeout", "never"))) {
        Throwable t = catchThrowable(() -> new MetaProviderFactory().create(ProviderConfig.of("meta", bad)));
        assertThat(t).isNotNull();
        texts.add(t.toString());
      }
    } finally {
      System.setErr(originalErr);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("the capture works: sends are logged at DEBUG").contains("meta send entry e1 to +62812*****890");
    assertThat(logs).contains("meta webhook refused");
    assertThat(logs).doesNotContain(TOKEN).doesNotContain(APP_SECRET).doesNotContain(VERIFY_TOKEN).doesNotContain("6281234567890");
    assertThat(texts).hasSize(7 + 5 + 1 + 3).allSatisfy(text ->
        assertThat(text).doesNotContain(TOKEN).doesNotContain(APP_SECRET).doesNotContain(VERIFY_TOKEN));
    assertThat(texts.get(1)).contains("190");
  }

  private static String describe(SendResult r) {
    assertThat(r).isNotNull();
    return r.toString();
  }

}
