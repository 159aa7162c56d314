package dev.notify.core.internal.expr;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.mvel2.ast.ASTNode;
import org.mvel2.compiler.ExecutableStatement;

/**
 * Walks what MVEL compiled (nodes, and the nodes and statements they hold in their fields) looking for
 * a node type that should never appear in a sandboxed expression. Best effort by nature: property
 * chains and method arguments are compiled lazily by MVEL on first evaluation, so this is a second
 * line behind {@link SandboxValidator}, not a replacement for it.
 */
final class CompiledTreeScanner {
  private static final int MAX_OBJECTS = 10_000;

  private CompiledTreeScanner() { }

  /** The simple class name of the first forbidden node found, or {@code null}. */
  static String findForbiddenNode(Object compiled, Set<String> forbiddenNameParts) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> pending = new ArrayDeque<>();
    pending.push(compiled);
    while (!pending.isEmpty() && seen.size() < MAX_OBJECTS) {
      Object current = pending.pop();
      if (current == null || !seen.add(current)) {
        continue;
      }
      if (current instanceof ASTNode) {
        String type = current.getClass().getSimpleName();
        if (forbiddenNameParts.stream().anyMatch(type::contains)) {
          return type;
        }
      }
      for (Class<?> c = current.getClass(); c != null && c.getName().startsWith("org.mvel2."); c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers()) && holdsCode(field.getType()) && field.trySetAccessible()) {
            push(pending, read(field, current));
          }
        }
      }
    }
    return null;
  }

  private static boolean holdsCode(Class<?> type) {
    Class<?> element = type.isArray() ? type.getComponentType() : type;
    return ASTNode.class.isAssignableFrom(element) || ExecutableStatement.class.isAssignableFrom(element)
        || element.getName().startsWith("org.mvel2.compiler.") || element.getName().startsWith("org.mvel2.ast.")
        || element.getName().startsWith("org.mvel2.util.ASTLinkedList");
  }

  private static void push(Deque<Object> pending, Object value) {
    if (value instanceof Object[] array) {
      for (Object element : array) {
        pending.push(element);
      }
    } else if (value != null) {
      pending.push(value);
    }
  }

  private static Object read(Field field, Object target) {
    try {
      return field.get(target);
    } catch (IllegalAccessException e) {
      return null;
    }
  }
}
