package dev.notify.core.internal.expr;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.notify.core.InvalidExpressionException;
import dev.notify.core.internal.expr.SandboxValidator.KeyRead;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.mvel2.CompileException;
import org.mvel2.MVEL;
import org.mvel2.ParserContext;
import org.mvel2.compiler.AbstractParser;

/**
 * Compiles sandboxed MVEL expressions once and caches them.
 *
 * <p>Every expression is first checked by {@link SandboxValidator} (a whitelist grammar: property
 * chains from known variables, literals, operators, the ternary and a short list of read-only method
 * calls). Only then is it compiled by MVEL, with an empty parser configuration (no imports), and the
 * result is checked again: MVEL must not have seen any input variable, declaration, function or
 * import the validator did not allow, nor produced a node that creates objects or assigns.
 *
 * <p>Thread-safe. Loading this class applies two JVM-wide MVEL settings (see {@link MvelSettings}):
 * the reflective accessor optimizer becomes MVEL's default, and a property handler is registered for
 * the sandbox's map views.
 */
public final class ExpressionCompiler {

  /** Longest expression accepted, in characters. */
  public static final int MAX_LENGTH = 1_000;

  private static final Pattern ROOT_NAME = Pattern.compile("[a-z][A-Za-z0-9_]{0,63}");

  /** First segments of package names: a root variable may not be spelt like one. */
  private static final Set<String> PACKAGE_LIKE_NAMES = Set.of("java", "javax", "jdk", "sun", "com", "org", "net");

  /** MVEL's parser keeps shared static state; compilation is rare, so it is simply serialized. */
  private static final Object MVEL_LOCK = new Object();

  static {
    MvelSettings.apply();
  }

  private final Cache<Key, CompiledExpression> cache;

  /** @param cacheSize how many compiled expressions to keep; at least 1 */
  public ExpressionCompiler(long cacheSize) {
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be at least 1 but was " + cacheSize);
    }
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  /** Compiles an expression over the standard variables {@code record, old, event, params, now, recipient}. */
  public CompiledExpression compile(String owner, String expression) {
    return compile(owner, expression, Set.of());
  }

  /**
   * Compiles an expression that may also read {@code extraRoots} (e.g. the names of a rule's context
   * values).
   *
   * @param owner what holds the expression, for error messages, e.g. {@code rule 'x' condition}
   * @throws InvalidExpressionException if the expression leaves the sandbox or does not parse
   * @throws IllegalArgumentException if an extra root is not a plain lower-camel-case name or clashes
   *     with a keyword, a literal or a package name
   */
  public CompiledExpression compile(String owner, String expression, Set<String> extraRoots) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(extraRoots, "extraRoots");
    Key key = new Key(owner, expression, Set.copyOf(extraRoots));
    CompiledExpression hit = cache.getIfPresent(key);
    return hit != null ? hit : cache.get(key, ExpressionCompiler::compileNow);
  }

  /**
   * Evaluates a condition: {@code true} or {@code false}, {@code null} counting as {@code false}.
   *
   * @throws ExpressionEvaluationException if evaluation fails or yields something other than a boolean; its
   *     message names the type of the result, never the value (a condition such as {@code record.phone} would
   *     otherwise put a full phone number into the log and the {@code FireResult})
   */
  public boolean evaluateCondition(CompiledExpression expression, Map<String, ?> variables, String owner) {
    Object result = expression.evaluate(variables);
    if (result == null) {
      return false;
    }
    if (result instanceof Boolean b) {
      return b;
    }
    throw new ExpressionEvaluationException(owner, expression.source(),
        "a condition must be true or false but was " + typeOf(result), null);
  }

  /** What a non-boolean result is, for a message: its kind, never its value. */
  private static String typeOf(Object value) {
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Collection<?>) {
      return "a collection";
    }
    String name = value.getClass().getSimpleName();
    if (name.isEmpty()) {
      return "a value of an anonymous class";
    }
    return ("AEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
  }

  /** {@code true} only for {@link Boolean#TRUE}. */
  public static boolean isTruthy(Object value) {
    return Boolean.TRUE.equals(value);
  }

  private static CompiledExpression compileNow(Key key) {
    String owner = key.owner();
    String source = key.source();
    if (source.length() > MAX_LENGTH) {
      throw new InvalidExpressionException(owner, abbreviate(source), MAX_LENGTH,
          "expression is " + source.length() + " characters long; the limit is " + MAX_LENGTH);
    }
    Set<String> roots = roots(key.extraRoots());
    List<KeyRead> keyReads = SandboxValidator.validate(owner, source, roots);
    Serializable compiled = compileWithMvel(owner, source, withKeyReads(withLogicalOr(owner, source), keyReads),
        keyReads, roots);
    return new MvelExpression(owner, source, compiled, roots);
  }

  /**
   * The source with each property the validator found outside {@link SandboxValidator#ALLOWED_PROPERTIES} spelt as
   * a key read: {@code x.name} becomes {@code x.get('name')}, {@code x.?name} becomes {@code x.?get('name')}. Every
   * map an expression sees is a map view, where that reads the key as before; on a list, a string, a number or a
   * date it fails, where as a property MVEL would have run any zero-argument method or read any public field, static
   * ones included ({@code record.items.stream.parallel.count}, {@code record.count.MAX_VALUE}).
   */
  static String withKeyReads(String source, List<KeyRead> keyReads) {
    if (keyReads.isEmpty()) {
      return source;
    }
    StringBuilder sb = new StringBuilder(source.length() + keyReads.size() * 8);
    int from = 0;
    for (KeyRead read : keyReads) {
      sb.append(source, from, read.position()).append(keyRead(read));
      from = read.end();
    }
    return sb.append(source, from, source.length()).toString();
  }

  private static String keyRead(KeyRead read) {
    return (read.nullSafe() ? ".?" : ".") + "get('" + read.name() + "')";
  }

  /** The position in the source of {@code position} in {@link #withKeyReads}'s text, for MVEL's error messages. */
  private static int sourcePosition(int position, List<KeyRead> keyReads) {
    int shift = 0;
    for (KeyRead read : keyReads) {
      int start = read.position() + shift;
      int length = keyRead(read).length();
      if (position < start) {
        break;
      }
      if (position < start + length) {
        return read.position();
      }
      shift += length - (read.end() - read.position());
    }
    return position - shift;
  }

  /** Whether {@code source} reads the variable {@code name} (as a root, not as a property of something else). */
  public static boolean readsVariable(String owner, String source, String name) {
    List<Token> tokens = ExpressionLexer.tokenize(owner, source);
    for (int i = 0; i < tokens.size(); i++) {
      if (isRoot(tokens, i, name)) return true;
    }
    return false;
  }

  /** Whether token {@code i} is the identifier {@code word} standing alone: not a property after {@code .} or {@code .?}. */
  private static boolean isRoot(List<Token> tokens, int i, String word) {
    boolean property = i > 0 && (tokens.get(i - 1).is(Token.Kind.DOT) || tokens.get(i - 1).is(Token.Kind.SAFE_DOT));
    return tokens.get(i).is(Token.Kind.IDENTIFIER) && tokens.get(i).text().equals(word) && !property;
  }

  /**
   * The source with each word operator {@code or} spelt {@code ||}. MVEL reads {@code or} as its "chained or"
   * (the first non-null operand: {@code false or true} is false, and the right side is always evaluated); rules
   * mean logical or, as {@code and} is logical and. Same length, so error positions still point into the source.
   */
  static String withLogicalOr(String owner, String source) {
    List<Token> tokens = ExpressionLexer.tokenize(owner, source);
    StringBuilder sb = null;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (isRoot(tokens, i, "or")) {
        if (sb == null) sb = new StringBuilder(source);
        sb.replace(t.position(), t.position() + 2, "||");
      }
    }
    return sb == null ? source : sb.toString();
  }

  private static Set<String> roots(Set<String> extraRoots) {
    Set<String> roots = new HashSet<>(SandboxValidator.STANDARD_ROOTS);
    for (String name : extraRoots) {
      if (name == null || !ROOT_NAME.matcher(name).matches()
          || ExpressionLexer.FORBIDDEN_KEYWORDS.contains(name) || SandboxValidator.LITERALS.contains(name)
          || SandboxValidator.WORD_OPERATORS.contains(name) || PACKAGE_LIKE_NAMES.contains(name)
          || AbstractParser.CLASS_LITERALS.containsKey(name)) {
        throw new IllegalArgumentException("extra variable name '" + name + "' is not allowed: it must be"
            + " a lower-camel-case name that is not a keyword, a literal or a package name");
      }
      roots.add(name);
    }
    return Set.copyOf(roots);
  }

  /** MVEL compilation plus the after-the-fact checks; package-private so tests can bypass the validator. */
  static Serializable compileWithMvel(String owner, String source, Set<String> roots) {
    return compileWithMvel(owner, source, source, List.of(), roots);
  }

  /**
   * @param source what the owner wrote, for error messages
   * @param mvelSource what MVEL compiles: {@code source} with {@code keyReads} spelt out ({@link #withKeyReads})
   */
  private static Serializable compileWithMvel(String owner, String source, String mvelSource, List<KeyRead> keyReads,
      Set<String> roots) {
    ParserContext context = new ParserContext(MvelSettings.parserConfiguration());
    Serializable compiled;
    synchronized (MVEL_LOCK) {
      try {
        compiled = MVEL.compileExpression(mvelSource, context);
      } catch (CompileException e) {
        int position = e.getCursor() >= 0 && e.getCursor() < mvelSource.length()
            ? sourcePosition(e.getCursor(), keyReads) : -1;
        throw new InvalidExpressionException(owner, source, position, "does not parse: " + firstLine(e.getMessage()));
      } catch (RuntimeException | StackOverflowError e) {
        throw new InvalidExpressionException(owner, source, -1, "does not parse: " + firstLine(e.getMessage()));
      }
    }
    verifyCompiled(owner, source, roots, context, compiled);
    return compiled;
  }

  /** Defense in depth: what MVEL compiled must agree with what the validator accepted. */
  private static void verifyCompiled(String owner, String source, Set<String> roots, ParserContext context,
      Serializable compiled) {
    for (String input : context.getInputs().keySet()) {
      if (!roots.contains(input) && !SandboxValidator.LITERALS.contains(input)) {
        throw new InvalidExpressionException(owner, source, -1, "refers to '" + input + "', which is not a variable");
      }
    }
    if (!context.getVariables().isEmpty() || (context.getFunctions() != null && !context.getFunctions().isEmpty())
        || context.hasImports()) {
      throw new InvalidExpressionException(owner, source, -1, "declares variables, functions or imports");
    }
    String forbidden = CompiledTreeScanner.findForbiddenNode(compiled, FORBIDDEN_NODE_TYPES);
    if (forbidden != null) {
      throw new InvalidExpressionException(owner, source, -1, "compiles to a forbidden construct (" + forbidden + ")");
    }
  }

  private static final Set<String> FORBIDDEN_NODE_TYPES = Set.of(
      "New", "Assign", "Function", "Import", "ForEach", "ForNode", "While", "Until", "DoNode", "With",
      "Fold", "Proto", "Decl", "TypedVar", "Interceptor", "Return", "IfNode", "TypeCast", "Instance",
      "Stacklang", "InlineCollection", "PostFix", "PreFix", "OperativeAssign", "IsDef", "Convertable",
      "RegEx");

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return (newline > 0 ? message.substring(0, newline) : message).strip();
  }

  private static String abbreviate(String source) {
    return source.substring(0, 60) + "...";
  }

  private record Key(String owner, String source, Set<String> extraRoots) { }
}
