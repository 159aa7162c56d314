package dev.notify.provider.meta.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/** The provider's OkHttp plumbing. Retry-After, redaction and secret checks: {@link dev.notify.core.spi.ProviderSupport}. */
public final class HttpSupport {
  private HttpSupport() {}

  /**
   * One client per provider. Sends use {@code execute()}, so the pool keeps {@code maxConcurrency} idle connections
   * for concurrent callers; the dispatcher limits apply to asynchronous calls. No redirects. {@code callTimeout}
   * bounds the whole call, so that a gateway trickling its answer cannot hold a send past its lease.
   */
  public static OkHttpClient newClient(Duration connectTimeout, Duration readTimeout, Duration callTimeout, int maxConcurrency) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(maxConcurrency);
    dispatcher.setMaxRequestsPerHost(maxConcurrency);
    return new OkHttpClient.Builder().dispatcher(dispatcher).connectionPool(new ConnectionPool(maxConcurrency, 5, TimeUnit.MINUTES))
        .connectTimeout(connectTimeout).readTimeout(readTimeout).writeTimeout(readTimeout).callTimeout(callTimeout)
        .followRedirects(false).followSslRedirects(false)
        // a POST the gateway may have read must not be sent again by OkHttp on a dropped connection (the message would
        // go out twice, unseen); the engine retries a failed send itself, with its backoff and its attempt count
        .retryOnConnectionFailure(false).build();
  }

  /** Shuts down the dispatcher's threads and closes pooled connections. */
  public static void close(OkHttpClient client) {
    client.dispatcher().cancelAll();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** The body as text, at most 64 KiB (an HTML error page can be large); empty when there is none. */
  public static String body(Response response) throws IOException {
    return response.body() == null ? "" : response.peekBody(64 * 1024).string();
  }

  /** The default call timeout: the connect timeout plus twice the read timeout (one write, one read). */
  public static Duration defaultCallTimeout(Duration connectTimeout, Duration readTimeout) {
    return connectTimeout.plus(readTimeout).plus(readTimeout);
  }

  /** True for timeouts: SocketTimeoutException and OkHttp's call timeout. */
  public static boolean isTimeout(IOException e) { return e instanceof InterruptedIOException; }
}
