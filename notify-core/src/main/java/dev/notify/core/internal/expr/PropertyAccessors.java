package dev.notify.core.internal.expr;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The readable properties of one host class, looked up once and kept in a {@link ClassValue}: the
 * components of a Java record, or the public no-argument {@code getX()} / {@code isX()} getters of a
 * JavaBean ({@code getClass()} excluded).
 */
final class PropertyAccessors {
  private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private static final ClassValue<PropertyAccessors> CACHE = new ClassValue<>() {
    @Override
    protected PropertyAccessors computeValue(Class<?> type) {
      return new PropertyAccessors(type.isRecord() ? recordComponents(type) : beanGetters(type));
    }
  };

  private final Map<String, MethodHandle> getters;

  private PropertyAccessors(Map<String, MethodHandle> getters) {
    this.getters = Map.copyOf(getters);
    this.names = Collections.unmodifiableSet(new LinkedHashSet<>(getters.keySet()));
  }

  /** In declaration order for records, alphabetical for beans. */
  private final Set<String> names;

  static PropertyAccessors of(Class<?> type) {
    return CACHE.get(type);
  }

  boolean has(String name) {
    return getters.containsKey(name);
  }

  Set<String> names() {
    return names;
  }

  Object read(Object target, String name) {
    MethodHandle getter = getters.get(name);
    try {
      return (Object) getter.invokeExact(target);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("reading property '" + name + "' of " + target.getClass().getName()
          + " failed", e);
    }
  }

  private static Map<String, MethodHandle> recordComponents(Class<?> type) {
    Map<String, MethodHandle> getters = new LinkedHashMap<>();
    for (RecordComponent component : type.getRecordComponents()) {
      MethodHandle handle = handle(component.getAccessor());
      if (handle != null) {
        getters.put(component.getName(), handle);
      }
    }
    return getters;
  }

  private static Map<String, MethodHandle> beanGetters(Class<?> type) {
    Map<String, MethodHandle> getters = new LinkedHashMap<>();
    Method[] methods = type.getMethods();
    java.util.Arrays.sort(methods, Comparator.comparing(Method::getName));
    for (Method m : methods) {
      String property = propertyName(m);
      if (property != null && !getters.containsKey(property)) {
        MethodHandle handle = handle(m);
        if (handle != null) {
          getters.put(property, handle);
        }
      }
    }
    return getters;
  }

  /** The JavaBean property a method reads, or {@code null} if it is not a getter. */
  private static String propertyName(Method m) {
    if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || m.getReturnType() == void.class
        || m.getDeclaringClass() == Object.class || m.isBridge() || m.isSynthetic()) {
      return null;
    }
    String name = m.getName();
    String rest;
    if (name.startsWith("get") && name.length() > 3) {
      rest = name.substring(3);
    } else if (name.startsWith("is") && name.length() > 2
        && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
      rest = name.substring(2);
    } else {
      return null;
    }
    if (!Character.isUpperCase(rest.charAt(0))) {
      return null;
    }
    // JavaBeans: "URL" stays "URL", "Name" becomes "name".
    if (rest.length() > 1 && Character.isUpperCase(rest.charAt(1))) {
      return rest;
    }
    return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
  }

  private static MethodHandle handle(Method m) {
    try {
      m.trySetAccessible(); // public method of a non-public class, e.g. a record nested in a test
      return LOOKUP.unreflect(m).asType(GETTER);
    } catch (IllegalAccessException | SecurityException e) {
      return null; // not readable from here: not exposed
    }
  }
}
