package dev.notify.core.internal.expr;

import java.lang.reflect.Array;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Converts host values into the only kinds of value an expression ever sees: {@code null}, String,
 * Number, Boolean, a handful of {@code java.time} values, read-only Maps with String keys and read-only
 * Lists.
 *
 * <p>Conversion is lazy and copies nothing: a Map, a Collection, an array, a Java record or a JavaBean
 * becomes a view whose entries are converted when read. Record components and bean getters are
 * looked up once per class ({@link PropertyAccessors}). Enums become their name; Optionals their value;
 * {@code java.sql.Timestamp}, {@code Date} and {@code Time} a LocalDateTime, LocalDate and LocalTime, and
 * {@code java.util.Date} an Instant.
 * JDK types that are not plain values ({@code Class}, {@code Thread}, {@code File}, {@code UUID}...)
 * are never exposed as objects: they become their {@code toString()}.
 */
public final class RecordViews {
  private RecordViews() { }

  /** The sandbox value for {@code hostValue}. */
  public static Object toValue(Object hostValue) {
    if (hostValue == null || hostValue instanceof String || hostValue instanceof Boolean) {
      return hostValue;
    }
    if (hostValue instanceof Number n) {
      return number(n);
    }
    if (hostValue instanceof Character || hostValue instanceof CharSequence) {
      return hostValue.toString();
    }
    if (isTimeValue(hostValue)) {
      return hostValue;
    }
    // the JDBC and legacy date types of JPA/JDBC hosts, as java.time (before, their toString(): a String that an AT
    // schedule refused, and a text that depended on the JVM's zone). java.sql.Date.toInstant() throws: types first
    if (hostValue instanceof java.sql.Timestamp ts) {
      return ts.toLocalDateTime();
    }
    if (hostValue instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (hostValue instanceof java.sql.Time t) {
      return t.toLocalTime();
    }
    if (hostValue instanceof java.util.Date d) {
      return d.toInstant();
    }
    if (hostValue instanceof Enum<?> e) {
      return e.name();
    }
    if (hostValue instanceof Optional<?> o) {
      return toValue(o.orElse(null));
    }
    if (hostValue instanceof ValueMap || hostValue instanceof ListView) {
      return hostValue;
    }
    if (hostValue instanceof Map<?, ?> map) {
      return new ValueMap(new MapSource(map));
    }
    if (hostValue instanceof List<?> list) {
      return new ListView(list);
    }
    if (hostValue instanceof Collection<?> collection) {
      return new ListView(collection);
    }
    Class<?> type = hostValue.getClass();
    if (type.isArray()) {
      return new ListView(hostValue);
    }
    if (isPlatformType(type)) {
      return hostValue.toString();
    }
    return new ValueMap(new BeanSource(hostValue, PropertyAccessors.of(type)));
  }

  /**
   * The JDK's immutable numbers as they are; any other Number (an AtomicInteger, a LongAdder, a host's own class)
   * as an immutable copy of its value. MVEL runs a method without arguments written as a property, so
   * {@code record.counter.incrementAndGet} would otherwise change the host's value.
   */
  private static Number number(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Double || n instanceof java.math.BigDecimal
        || n instanceof java.math.BigInteger || n instanceof Short || n instanceof Byte || n instanceof Float) {
      return n;
    }
    if (n instanceof java.util.concurrent.atomic.AtomicInteger || n instanceof java.util.concurrent.atomic.AtomicLong
        || n instanceof java.util.concurrent.atomic.LongAdder || n instanceof java.util.concurrent.atomic.LongAccumulator) {
      return n.longValue();
    }
    if (n instanceof java.util.concurrent.atomic.DoubleAdder || n instanceof java.util.concurrent.atomic.DoubleAccumulator) {
      return n.doubleValue();
    }
    try {
      return new java.math.BigDecimal(n.toString());
    } catch (NumberFormatException notDecimal) {
      return n.doubleValue();
    }
  }

  private static boolean isTimeValue(Object value) {
    return value instanceof Instant || value instanceof LocalDate || value instanceof LocalDateTime
        || value instanceof OffsetDateTime || value instanceof ZonedDateTime || value instanceof LocalTime
        || value instanceof Duration;
  }

  /** JDK classes are never opened up through their getters: they are not host data. */
  private static boolean isPlatformType(Class<?> type) {
    String name = type.getName();
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.sun.") || type.isSynthetic()
        || type.isHidden() || type.getClassLoader() == null;
  }

  /** A read-only list over a List, another Collection or an array; elements are converted when read. */
  static final class ListView extends AbstractList<Object> implements RandomAccess {
    private final Object source;
    /** For a Collection that is not a List: its elements, taken on first read. */
    private volatile Object[] snapshot;

    ListView(Object source) {
      this.source = source;
    }

    @Override
    public Object get(int index) {
      if (source instanceof List<?> list) {
        return toValue(list.get(index));
      }
      if (source instanceof Collection<?>) {
        Object[] elements = snapshot();
        Objects.checkIndex(index, elements.length);
        return toValue(elements[index]);
      }
      return toValue(Array.get(source, index));
    }

    @Override
    public int size() {
      if (source instanceof List<?> list) {
        return list.size();
      }
      return source instanceof Collection<?> ? snapshot().length : Array.getLength(source);
    }

    private Object[] snapshot() {
      Object[] elements = snapshot;
      if (elements == null) {
        elements = ((Collection<?>) source).toArray();
        snapshot = elements;
      }
      return elements;
    }
  }

  /**
   * A read-only map of sandbox values over a host Map, a Java record or a JavaBean. In an expression,
   * {@code view.name} always means {@code view.get("name")} ({@link MvelSettings} registers a property
   * handler for this class): a missing key reads as {@code null}, and no getter of the view is
   * reachable. One final class for every kind of source, so that MVEL's accessors stay monomorphic.
   */
  static final class ValueMap extends AbstractMap<String, Object> {
    private final Source source;

    ValueMap(Source source) {
      this.source = source;
    }

    @Override
    public Object get(Object key) {
      return key instanceof String name ? toValue(source.raw(name)) : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String name && source.has(name);
    }

    @Override
    public int size() {
      return source.size();
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
          Iterator<String> names = source.names();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return names.hasNext();
            }

            @Override
            public Map.Entry<String, Object> next() {
              String name = names.next();
              return new SimpleImmutableEntry<>(name, get(name));
            }
          };
        }

        @Override
        public int size() {
          return source.size();
        }
      };
    }
  }

  /** Where a {@link ValueMap} reads its raw (unconverted) values. */
  interface Source {
    Object raw(String name);

    boolean has(String name);

    int size();

    Iterator<String> names();
  }

  /** A host Map; keys compared by their string form. */
  static final class MapSource implements Source {
    private final Map<?, ?> map;
    /** Whether every key is a String, computed on the first miss. */
    private volatile Boolean stringKeys;

    MapSource(Map<?, ?> map) {
      this.map = map;
    }

    @Override
    public Object raw(String name) {
      try {
        Object value = map.get(name);
        if (value != null || hasOnlyStringKeys()) {
          return value;
        }
      } catch (ClassCastException | NullPointerException e) {
        // a sorted map of non-string keys
      }
      Map.Entry<?, ?> entry = findByName(name);
      return entry == null ? null : entry.getValue();
    }

    @Override
    public boolean has(String name) {
      try {
        if (map.containsKey(name)) {
          return true;
        }
      } catch (ClassCastException | NullPointerException e) {
        // a sorted map of non-string keys
      }
      return !hasOnlyStringKeys() && findByName(name) != null;
    }

    @Override
    public int size() {
      return map.size();
    }

    @Override
    public Iterator<String> names() {
      return map.keySet().stream().map(String::valueOf).iterator();
    }

    private Map.Entry<?, ?> findByName(String name) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getKey() != null && name.equals(e.getKey().toString())) {
          return e;
        }
      }
      return null;
    }

    private boolean hasOnlyStringKeys() {
      Boolean only = stringKeys;
      if (only == null) {
        only = map.keySet().stream().allMatch(k -> k instanceof String);
        stringKeys = only;
      }
      return only;
    }
  }

  /** A Java record's components or a JavaBean's getters. */
  static final class BeanSource implements Source {
    private final Object bean;
    private final PropertyAccessors accessors;

    BeanSource(Object bean, PropertyAccessors accessors) {
      this.bean = bean;
      this.accessors = accessors;
    }

    @Override
    public Object raw(String name) {
      return accessors.has(name) ? accessors.read(bean, name) : null;
    }

    @Override
    public boolean has(String name) {
      return accessors.has(name);
    }

    @Override
    public int size() {
      return accessors.names().size();
    }

    @Override
    public Iterator<String> names() {
      return accessors.names().iterator();
    }
  }
}
