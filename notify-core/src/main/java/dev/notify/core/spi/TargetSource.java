package dev.notify.core.spi;

import java.util.Map;
import java.util.stream.Stream;

/**
 * Streams the targets of a campaign: {@code dev.notify.core.Recipient}s, or records (POJO, Java record,
 * Map) that the campaign's rule turns into recipients. Must yield the same order on every call, so a
 * campaign can resume at an offset after a restart. The engine closes the stream.
 */
@FunctionalInterface
public interface TargetSource {
  Stream<?> targets(Map<String, String> params);

  /** Targets from {@code offset} on; override when the host can seek (e.g. SQL OFFSET or keyset). */
  default Stream<?> targets(Map<String, String> params, long offset) { return targets(params).skip(offset); }
}
