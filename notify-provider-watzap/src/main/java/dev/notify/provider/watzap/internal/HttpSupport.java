package dev.notify.provider.watzap.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/** HTTP plumbing shared by the provider: the client, Retry-After, safe error texts. */
public final class HttpSupport {
  /** Error messages handed to the engine are cut to this many characters. */
  public static final int MAX_MESSAGE_CHARS = 300;
  /** At most this much of a response body is read (an HTML error page can be large). */
  static final long MAX_RESPONSE_BYTES = 64 * 1024;

  private HttpSupport() {}

  /**
   * One client per provider instance. Sends use {@code execute()}, so their concurrency is the caller's
   * thread count; the connection pool keeps {@code maxConcurrency} idle connections so that many
   * concurrent sends reuse connections instead of opening new ones. The dispatcher limits apply to
   * asynchronous calls.
   */
  public static OkHttpClient newClient(Duration connectTimeout, Duration readTimeout, int maxConcurrency) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(maxConcurrency);
    dispatcher.setMaxRequestsPerHost(maxConcurrency);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(maxConcurrency, 5, TimeUnit.MINUTES))
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(readTimeout)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  /** Shuts down the dispatcher's threads and closes pooled connections. */
  public static void close(OkHttpClient client) {
    client.dispatcher().cancelAll();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** The body as text, at most {@link #MAX_RESPONSE_BYTES}; empty when there is none. */
  public static String body(Response response) throws IOException {
    if (response.body() == null) return "";
    return response.peekBody(MAX_RESPONSE_BYTES).string();
  }

  /**
   * A Retry-After header (delay in seconds, or an HTTP date) as a delay from now, capped at {@code cap};
   * null when absent or unreadable.
   */
  public static Duration retryAfter(String header, Clock clock, Duration cap) {
    if (header == null || header.isBlank()) return null;
    String v = header.trim();
    Duration d;
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        d = Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException | ArithmeticException e) {
        d = cap; // more digits than a long: longer than any cap
      }
    } else {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        d = Duration.between(clock.instant(), at.toInstant());
        if (d.isNegative()) d = Duration.ZERO;
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return d.compareTo(cap) > 0 ? cap : d;
  }

  /** True for timeouts (connect, read, call). */
  public static boolean isTimeout(IOException e) {
    return e instanceof InterruptedIOException; // SocketTimeoutException and OkHttp's call timeout
  }
}
