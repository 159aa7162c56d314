package dev.notify.core.internal;

import dev.notify.core.Trigger;
import dev.notify.core.internal.expr.RecordViews;
import java.util.Map;
import java.util.Objects;

/** Decides whether an ON_* trigger matches a change from {@code before} to {@code after}. */
public final class ChangeDetector {
  private ChangeDetector() {}

  /**
   * @param before null for a creation
   * @param after never null
   */
  public static boolean matches(Trigger t, Object before, Object after) {
    switch (t.type()) {
      case ON_CREATE:
        return before == null;
      case ON_UPDATE:
        return before != null && !Objects.equals(asMap(before), asMap(after));
      case ON_STATE_CHANGE: {
        if (before == null) return false;
        Object from = field(before, t.stateField());
        Object to = field(after, t.stateField());
        if (Objects.equals(str(from), str(to))) return false;
        return t.stateFrom().map(s -> s.equals(str(from))).orElse(true) && t.stateTo().map(s -> s.equals(str(to))).orElse(true);
      }
      case ON_FIELD_CHANGE: {
        if (before == null) return false;
        String f = t.watchedField().orElseThrow();
        return !Objects.equals(str(field(before, f)), str(field(after, f)));
      }
      default:
        return false;
    }
  }

  private static Map<?, ?> asMap(Object record) {
    Object v = RecordViews.toValue(record);
    return v instanceof Map ? new java.util.HashMap<>((Map<?, ?>) v) : Map.of("value", v);
  }

  private static Object field(Object record, String name) {
    Object v = RecordViews.toValue(record);
    if (!(v instanceof Map)) return null;
    Object cur = v;
    for (String part : name.split("\\.")) {
      if (!(cur instanceof Map)) return null;
      cur = ((Map<?, ?>) cur).get(part);
    }
    return cur;
  }

  private static String str(Object o) { return o == null ? null : o.toString(); }
}
