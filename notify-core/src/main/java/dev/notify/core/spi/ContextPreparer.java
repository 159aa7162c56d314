package dev.notify.core.spi;

import java.util.Map;

/**
 * Java alternative to a rule's context expressions: computes template values from the record.
 * Registered on the engine builder by name; a rule names it with {@code contextPreparer("name")}.
 */
@FunctionalInterface
public interface ContextPreparer {
  /**
   * @param record the host record (as passed to fire)
   * @param params the event parameters
   * @return template variable → value; values are turned into strings
   */
  Map<String, ?> prepare(Object record, Map<String, Object> params);
}
