package dev.notify.core.internal.expr;

import java.util.Map;
import java.util.Set;
import org.mvel2.UnresolveablePropertyException;
import org.mvel2.integration.VariableResolver;
import org.mvel2.integration.impl.BaseVariableResolverFactory;
import org.mvel2.integration.impl.SimpleValueResolver;

/**
 * The variables one evaluation may read: exactly the allowed roots, each resolving to its value in the
 * map (passed through {@link RecordViews#toValue}, a no-op for values already converted) or to
 * {@code null} when absent. A missing root must never fall through to MVEL's class-name
 * resolution, and nothing can be created or written.
 */
final class SandboxVariables extends BaseVariableResolverFactory {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, ?> values;
  private final Set<String> roots;

  SandboxVariables(Map<String, ?> values, Set<String> roots) {
    this.values = values;
    this.roots = roots;
  }

  @Override
  public VariableResolver getVariableResolver(String name) {
    if (!roots.contains(name)) {
      throw new UnresolveablePropertyException(name);
    }
    return new SimpleValueResolver(RecordViews.toValue(values.get(name)));
  }

  @Override
  public boolean isResolveable(String name) {
    return roots.contains(name);
  }

  @Override
  public boolean isTarget(String name) {
    return roots.contains(name);
  }

  @Override
  public Set<String> getKnownVariables() {
    return roots;
  }

  @Override
  public VariableResolver createVariable(String name, Object value) {
    throw new UnsupportedOperationException("an expression cannot create or assign variable '" + name + "'");
  }

  @Override
  public VariableResolver createVariable(String name, Object value, Class<?> type) {
    return createVariable(name, value);
  }

  @Override
  public VariableResolver createIndexedVariable(int index, String name, Object value) {
    return createVariable(name, value);
  }

  @Override
  public VariableResolver createIndexedVariable(int index, String name, Object value, Class<?> type) {
    return createVariable(name, value);
  }
}
