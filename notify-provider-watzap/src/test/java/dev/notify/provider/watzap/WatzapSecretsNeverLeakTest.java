package dev.notify.provider.watzap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.notify.core.spi.ProviderConfig;
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

/** Runs every failure path with logging at DEBUG and proves the API key, number key and webhook secret never leak. */
class WatzapSecretsNeverLeakTest {
  static final String API_KEY = "watzap-leak-canary-api";
  static final String NUMBER_KEY = "watzap-leak-canary-number";
  static final String WEBHOOK_SECRET = "watzap-leak-canary-hook";

  @Test
  void keysAndWebhookSecret_neverAppearInLogsResultsOrExceptions() throws Exception {
    List<String> texts = new ArrayList<>();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody(WatzapProviderSendTest.SUCCESS));
      server.enqueue(new MockResponse().setBody(WatzapProviderSendTest.error("1002", "Invalid API Key " + API_KEY)));
      server.enqueue(new MockResponse().setBody(WatzapProviderSendTest.error("1003", "Invalid Number Key " + NUMBER_KEY)));
      server.enqueue(new MockResponse().setResponseCode(500).setBody("<html>" + API_KEY + "</html>"));
      server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "5"));
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

      Map<String, String> settings = Map.of("api-key", API_KEY, "number-key", NUMBER_KEY, "webhook-secret", WEBHOOK_SECRET,
          "base-url", server.url("/v1").toString(), "read-timeout", "300");
      try (var provider = new WatzapProviderFactory().create(ProviderConfig.of("watzap", settings))) {
        for (int i = 0; i < 7; i++) texts.add(provider.send(WatzapProviderSendTest.text("Hi")).toString());
        texts.add(provider.handleWebhook(WatzapWebhookTest.post("wrong", "{}")).response().body());
        texts.add(provider.handleWebhook(WatzapWebhookTest.post(WEBHOOK_SECRET, "{")).response().body());
        texts.add(provider.toString());
      }
      Throwable t = catchThrowable(() -> new WatzapProviderFactory().create(ProviderConfig.of("watzap",
          Map.of("api-key", API_KEY, "webhook-secret", WEBHOOK_SECRET))));
      assertThat(t).isNotNull();
      texts.add(t.toString());
    } finally {
      System.setErr(originalErr);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("the capture works: sends are logged at DEBUG").contains("watzap send entry e1 to +62812*****890");
    assertThat(logs).contains("watzap webhook refused");
    assertThat(logs).doesNotContain(API_KEY).doesNotContain(NUMBER_KEY).doesNotContain(WEBHOOK_SECRET).doesNotContain("6281234567890");
    assertThat(texts).hasSize(11).allSatisfy(text ->
        assertThat(text).doesNotContain(API_KEY).doesNotContain(NUMBER_KEY).doesNotContain(WEBHOOK_SECRET));
    assertThat(texts.get(1)).contains("Invalid API Key ***");
  }
}
