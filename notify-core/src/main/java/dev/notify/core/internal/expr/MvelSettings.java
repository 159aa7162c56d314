package dev.notify.core.internal.expr;

import java.util.Map;
import org.mvel2.ParserConfiguration;
import org.mvel2.integration.PropertyHandler;
import org.mvel2.integration.PropertyHandlerFactory;
import org.mvel2.integration.VariableResolverFactory;
import org.mvel2.optimizers.OptimizerFactory;

/**
 * The MVEL configuration the sandbox relies on. Two settings are JVM-wide, because MVEL only offers
 * them as static state; both are applied once, when this class is initialised:
 *
 * <ul>
 *   <li>the default accessor optimizer becomes the reflective one ("dynamic", MVEL's default, generates
 *       bytecode after some runs and has a history of races under concurrent evaluation);
 *   <li>a property handler is registered for the sandbox's own map view ({@link RecordViews.ValueMap}), so that
 *       {@code view.name} reads the key {@code name} and never a getter of the view.
 * </ul>
 */
final class MvelSettings {
  private MvelSettings() { }

  static {
    OptimizerFactory.setDefaultOptimizer(OptimizerFactory.SAFE_REFLECTIVE);
    PropertyHandler keyLookup = new PropertyHandler() {
      @Override
      public Object getProperty(String name, Object contextObj, VariableResolverFactory variableFactory) {
        return ((Map<?, ?>) contextObj).get(name);
      }

      @Override
      public Object setProperty(String name, Object contextObj, VariableResolverFactory variableFactory,
          Object value) {
        throw new UnsupportedOperationException("an expression cannot set property '" + name + "'");
      }
    };
    PropertyHandlerFactory.registerPropertyHandler(RecordViews.ValueMap.class, keyLookup);
  }

  /** Applies the JVM-wide settings (once). */
  static void apply() {
    // the static initialiser did the work
  }

  /**
   * A parser configuration with no imports and a class loader that loads nothing: should MVEL ever try
   * to resolve a name as a class (it does as a fallback when a property is not found), it finds none.
   */
  static ParserConfiguration parserConfiguration() {
    ParserConfiguration configuration = new ParserConfiguration();
    configuration.setClassLoader(NoClassLoader.INSTANCE);
    configuration.setAllowNakedMethCall(false);
    return configuration;
  }

  /** A class loader that finds no class at all, not even the JDK's. */
  private static final class NoClassLoader extends ClassLoader {
    static final NoClassLoader INSTANCE = new NoClassLoader();

    private NoClassLoader() {
      super(null);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      throw new ClassNotFoundException("expressions cannot load classes: " + name);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      throw new ClassNotFoundException("expressions cannot load classes: " + name);
    }
  }
}
