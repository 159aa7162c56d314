package dev.notify.provider.watzap.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The OkHttp plumbing of the provider: the client, closing it, a capped body read. The HTTP-client-free
 * helpers (Retry-After, redaction, secret checks) are in {@link dev.notify.core.spi.ProviderSupport} and
 * {@link dev.notify.core.spi.SecretRedactor}.
 */
public final class HttpSupport {
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

  /** True for timeouts (connect, read, call). */
  public static boolean isTimeout(IOException e) {
    return e instanceof InterruptedIOException; // SocketTimeoutException and OkHttp's call timeout
  }
}
