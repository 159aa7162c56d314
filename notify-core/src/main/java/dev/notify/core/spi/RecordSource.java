package dev.notify.core.spi;

import java.util.Map;
import java.util.stream.Stream;

/**
 * Yields the records a CRON trigger evaluates at each tick (e.g. permits expiring within 30 days).
 * Records may be POJOs, Java records or Maps. The engine closes the stream.
 */
@FunctionalInterface
public interface RecordSource {
  Stream<?> records(Map<String, String> params);
}
