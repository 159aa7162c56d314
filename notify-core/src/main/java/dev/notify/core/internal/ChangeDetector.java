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
        return before != null && !same(RecordViews.toValue(before), RecordViews.toValue(after));
      case ON_STATE_CHANGE: {
        if (before == null) return false;
        Object from = field(before, t.stateField());
        Object to = field(after, t.stateField());
        if (same(from, to)) return false;
        return t.stateFrom().map(s -> s.equals(str(from))).orElse(true) && t.stateTo().map(s -> s.equals(str(to))).orElse(true);
      }
      case ON_FIELD_CHANGE: {
        if (before == null) return false;
        String f = t.watchedField().orElseThrow();
        return !same(field(before, f), field(after, f));
      }
      default:
        return false;
    }
  }

  /** Nesting compared below the record's own fields; deeper, a record graph (a bean's back-references) is not followed. */
  static final int MAX_DEPTH = 8;
  /** Values compared per call at most; past it, what is left is taken as unchanged. */
  static final int MAX_VALUES = 10_000;

  /**
   * Whether two record values are the same: numbers by value ({@code 7L} and {@code 7}, {@code 10.0} and
   * {@code 10.00}), maps whatever their order, lists in order, anything else by {@code equals}. Before, maps were
   * compared by {@code equals} and fields by their text, so changes that did not happen fired triggers, and a
   * record graph with back-references recursed until the stack overflowed.
   */
  static boolean same(Object a, Object b) { return same(a, b, 0, new int[] {MAX_VALUES}); }

  private static boolean same(Object a, Object b, int depth, int[] budget) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (--budget[0] < 0 || depth > MAX_DEPTH) return true;
    if (a instanceof Number x && b instanceof Number y) return sameNumber(x, y);
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) return false;
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()), depth + 1, budget)) return false;
      }
      return true;
    }
    if (a instanceof java.util.List<?> x && b instanceof java.util.List<?> y) {
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i), depth + 1, budget)) return false;
      return true;
    }
    return Objects.equals(a, b);
  }

  private static boolean sameNumber(Number x, Number y) {
    try {
      return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
    } catch (NumberFormatException notFinite) { // NaN, Infinity
      return x.toString().equals(y.toString());
    }
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
