package dev.notify.examples.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.notify.core.NotificationEngine;
import dev.notify.core.WebhookRequest;
import dev.notify.core.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook receiver on the JDK's own HTTP server ({@code com.sun.net.httpserver}): every request to
 * {@code /webhooks/{provider}} is handed, with its raw body, to
 * {@code engine.webhooks().handle(provider, request)} and the engine's answer is written back. Point Meta's
 * callback URL at {@code https://your-host/webhooks/meta}, Fonnte's at {@code .../webhooks/fonnte?secret=...},
 * Watzap's at {@code .../webhooks/watzap?secret=...} (behind your TLS-terminating proxy).
 *
 * <p>The provider verifies the request (Meta's signature, Fonnte's and Watzap's secret); this class only
 * moves bytes. Bodies over {@link WebhookRequest#MAX_BODY_BYTES} are refused with 413 without reading them
 * whole. Any other path is 404.
 *
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.start(engine, new InetSocketAddress(8080))) { ... }
 * }</pre>
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final Pattern PATH = Pattern.compile("^/webhooks/([A-Za-z0-9_-]{1,64})/?$");

  private final HttpServer server;
  private final ExecutorService executor;

  private WebhookServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts listening on {@code address} (port 0 picks a free port) with 4 handler threads.
   *
   * @throws IOException when the address cannot be bound
   */
  public static WebhookServer start(NotificationEngine engine, InetSocketAddress address) throws IOException {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(address, "address");
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "webhook-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(engine, exchange));
    server.start();
    LOG.info("webhook receiver listening on port {}", server.getAddress().getPort());
    return new WebhookServer(server, executor);
  }

  /** The port it listens on. */
  public int port() { return server.getAddress().getPort(); }

  /** {@code http://localhost:<port>}. */
  public URI baseUri() { return URI.create("http://localhost:" + port()); }

  /** Stops accepting requests and the handler threads; running exchanges are cut short. */
  @Override public void close() {
    server.stop(0);
    executor.shutdown();
  }

  private static void handle(NotificationEngine engine, HttpExchange exchange) throws IOException {
    try (exchange) {
      WebhookResponse response;
      try {
        response = respond(engine, exchange);
      } catch (RuntimeException e) {
        // answered inside the exchange: caught outside it, the exchange was already closed and the caller got no answer
        LOG.warn("webhook request failed: {}", e.toString());
        response = WebhookResponse.status(500, "internal error");
      }
      write(exchange, response);
    }
  }

  private static WebhookResponse respond(NotificationEngine engine, HttpExchange exchange) throws IOException {
    Matcher m = PATH.matcher(exchange.getRequestURI().getRawPath());
    if (!m.matches()) return WebhookResponse.status(404, "not a webhook path; use /webhooks/{provider}");
    byte[] body = readAtMost(exchange.getRequestBody(), WebhookRequest.MAX_BODY_BYTES);
    if (body == null) return WebhookResponse.status(413, "body larger than " + WebhookRequest.MAX_BODY_BYTES + " bytes");
    WebhookRequest request = WebhookRequest.of(exchange.getRequestMethod(), query(exchange.getRequestURI().getRawQuery()),
        headers(exchange), body);
    try {
      return engine.webhooks().handle(m.group(1), request);
    } catch (IllegalStateException e) {
      // the engine is not started yet or already closed: the provider should send it again later (before, 500)
      return WebhookResponse.status(503, "not ready; send it again later");
    }
  }

  /** The body, or null when it is longer than {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    byte[] bytes = in.readNBytes(max + 1);
    return bytes.length > max ? null : bytes;
  }

  static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) return out;
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> out = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!values.isEmpty()) out.put(name, values.get(0));
    });
    return out;
  }

  private static void write(HttpExchange exchange, WebhookResponse response) throws IOException {
    byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
    if (response.contentType() != null) exchange.getResponseHeaders().set("Content-Type", response.contentType());
    boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod()); // headers only, no length (the JDK warned)
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 || head ? -1 : bytes.length);
    if (bytes.length > 0 && !head) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    }
  }
}
