package dev.notify.provider.fonnte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.notify.core.WebhookRequest;
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

/** Runs every failure path with logging at DEBUG and proves neither the token nor the webhook secret leaks. */
class FonnteSecretsNeverLeakTest {
  static final String TOKEN = "fonnte-leak-canary-token";
  static final String WEBHOOK_SECRET = "fonnte-leak-canary-hook";

  @Test
  void tokenAndWebhookSecret_neverAppearInLogsResultsOrExceptions() throws Exception {
    List<String> texts = new ArrayList<>();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody(FonnteProviderSendTest.SUCCESS));
      server.enqueue(new MockResponse().setBody("{\"status\":false,\"reason\":\"invalid token " + TOKEN + "\"}"));
      server.enqueue(new MockResponse().setBody("{\"status\":false,\"reason\":\"request invalid on disconnected device\"}"));
      server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>Authorization: " + TOKEN + "</html>"));
      server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "5"));
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

      Map<String, String> settings = Map.of("token", TOKEN, "webhook-secret", WEBHOOK_SECRET,
          "base-url", server.url("/").toString(), "read-timeout", "300");
      try (var provider = new FonnteProviderFactory().create(ProviderConfig.of("fonnte", settings))) {
        for (int i = 0; i < 7; i++) texts.add(provider.send(FonnteProviderSendTest.text("Hi")).toString());
        texts.add(provider.handleWebhook(FonnteWebhookTest.post("wrong", "{\"id\":\"1\",\"status\":\"sent\"}")).response().body());
        texts.add(provider.handleWebhook(FonnteWebhookTest.post(WEBHOOK_SECRET, "{")).response().body());
        texts.add(provider.handleWebhook(WebhookRequest.get(Map.of())).response().body());
        texts.add(provider.toString());
      }
      Throwable t = catchThrowable(() -> new FonnteProviderFactory().create(ProviderConfig.of("fonnte",
          Map.of("token", TOKEN, "webhook-secret", WEBHOOK_SECRET, "read-timeout", "never"))));
      assertThat(t).isNotNull();
      texts.add(t.toString());
    } finally {
      System.setErr(originalErr);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("the capture works: sends are logged at DEBUG").contains("fonnte send entry e1 to +62812*****890");
    assertThat(logs).contains("fonnte webhook refused");
    assertThat(logs).doesNotContain(TOKEN).doesNotContain(WEBHOOK_SECRET).doesNotContain("6281234567890");
    assertThat(texts).hasSize(12).allSatisfy(text -> assertThat(text).doesNotContain(TOKEN).doesNotContain(WEBHOOK_SECRET));
    assertThat(texts.get(1)).contains("invalid token ***");
  }
}
