package dev.notify.core;

import dev.notify.core.internal.Check;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request from a provider, as the host's HTTP layer received it. The body is the raw bytes:
 * signatures are computed over them, so do not re-encode.
 */
public final class WebhookRequest {
  /** Bodies larger than this are refused with 413. */
  public static final int MAX_BODY_BYTES = 1 << 20;

  private final String method;
  private final Map<String, List<String>> query;
  private final Map<String, String> headers;
  private final byte[] body;

  private WebhookRequest(String method, Map<String, List<String>> query, Map<String, String> headers, byte[] body) {
    this.method = Check.notBlank(method, "webhook method").toUpperCase(Locale.ROOT);
    Map<String, List<String>> q = new java.util.LinkedHashMap<>();
    Check.notNull(query, "webhook query").forEach((k, v) -> q.put(k, v == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(v))));
    this.query = java.util.Collections.unmodifiableMap(q); // the lists too: the caller may reuse its own
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(Check.notNull(headers, "webhook headers"));
    this.headers = h;
    this.body = body == null ? new byte[0] : body.clone();
  }

  public static WebhookRequest get(Map<String, List<String>> query) { return new WebhookRequest("GET", query, Map.of(), null); }

  public static WebhookRequest post(Map<String, String> headers, byte[] body) { return new WebhookRequest("POST", Map.of(), headers, body); }

  public static WebhookRequest of(String method, Map<String, List<String>> query, Map<String, String> headers, byte[] body) {
    return new WebhookRequest(method, query, headers, body);
  }

  public String method() { return method; }
  public Map<String, List<String>> query() { return query; }
  /** First value of a query parameter. */
  public Optional<String> queryParam(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
  }
  /** Header by case-insensitive name. */
  public Optional<String> header(String name) { return Optional.ofNullable(headers.get(name)); }
  public byte[] body() { return body.clone(); }
  public String bodyAsString() { return new String(body, StandardCharsets.UTF_8); }
  public int bodyLength() { return body.length; }
}
