package dev.notify.core.internal.expr;

import dev.notify.core.InvalidExpressionException;
import dev.notify.core.internal.expr.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mvel2.compiler.AbstractParser;

/**
 * Checks that an expression stays inside the sandbox, before MVEL ever sees it.
 *
 * <p>A small recursive-descent parser over the tokens of {@link ExpressionLexer} accepts only this
 * grammar; everything else is refused with the position of the first offending token:
 *
 * <pre>
 * expression := binary [ '?' expression ':' expression ]
 * binary     := unary { operator unary }          operator: == != &lt; &gt; &lt;= &gt;= &amp;&amp; || + - * / %
 *                                                    and or contains soundslike strsim
 * unary      := { '!' | '-' } postfix
 * postfix    := primary { ('.' | '.?') name [ '(' arguments ')' ] | '[' expression ']' }
 * primary    := number | string | true | false | null | nil | empty | root variable | '(' expression ')'
 * </pre>
 *
 * <p>So: no class names (a root identifier must be a variable or a literal), no function or static
 * calls (a call is always {@code .method(...)} and the method is on {@link #ALLOWED_METHODS}), no
 * {@code class}-reaching property, no assignment, no statements, no blocks, no templates.
 *
 * <p>A property after a dot ({@code x.name}, no parentheses) is a key read: {@link #validate} returns each one
 * not on {@link #ALLOWED_PROPERTIES}, and {@link ExpressionCompiler} gives it to MVEL as {@code x.get('name')}.
 * Written as a property, MVEL would run any public zero-argument method ({@code record.items.stream.parallel}),
 * void ones included, and read any public field, static ones too ({@code record.count.MAX_VALUE}, {@code
 * record.count.TYPE}). Whether {@code x} is a record or a map (a key, fine) or a list, string or number (a
 * member) is only known when the expression runs, so this cannot be refused here: as {@code get('name')} it reads
 * a key of a map view and fails on any other value.
 */
final class SandboxValidator {

  /** The variables every expression may read. */
  static final Set<String> STANDARD_ROOTS = Set.of("record", "old", "event", "params", "now", "recipient");

  /** Literals MVEL knows by name. */
  static final Set<String> LITERALS = Set.of("true", "false", "null", "nil", "empty");

  /** Word operators that only compare values. */
  static final Set<String> WORD_OPERATORS = Set.of("and", "or", "contains", "soundslike", "strsim");

  /**
   * Methods an expression may call, whatever the receiver. Every one only reads its receiver. Regex
   * methods ({@code matches}, {@code replaceAll}, {@code split}) are absent on purpose: a hostile pattern
   * can take exponential time.
   */
  static final Set<String> ALLOWED_METHODS = Set.of(
      // String
      "length", "isEmpty", "isBlank", "contains", "startsWith", "endsWith", "toUpperCase", "toLowerCase",
      "trim", "strip", "substring", "indexOf", "lastIndexOf", "charAt", "equals", "equalsIgnoreCase",
      "toString",
      // Number
      "intValue", "longValue", "doubleValue", "compareTo",
      // java.time
      "isBefore", "isAfter", "isEqual", "plusDays", "minusDays", "plusHours", "minusHours",
      "plusMinutes", "minusMinutes", "plusWeeks", "minusWeeks", "plusMonths", "minusMonths",
      "getYear", "getMonthValue", "getDayOfMonth", "getHour", "getMinute", "toLocalDate",
      "toLocalDateTime", "toInstant", "toEpochMilli", "toDays", "toHours", "toMinutes", "getSeconds",
      // List, Map
      "size", "containsKey", "containsValue", "get", "keySet", "values");

  /**
   * The property names that keep MVEL's meaning after a dot: on a map view the key, on any other value the getter
   * of the same name on {@link #ALLOWED_METHODS} ({@code 'abc'.length}, {@code record.items.size}, {@code
   * record.dueDate.year}). Each only reads a plain value (a number or a boolean), and no value class an expression
   * can see has a field of one of these names.
   */
  static final Set<String> ALLOWED_PROPERTIES = Set.of(
      "length", "size", "empty", "blank", "year", "monthValue", "dayOfMonth", "hour", "minute", "seconds");

  /**
   * Property names refused after a dot (compared ignoring case, as MVEL's getter lookup is lenient):
   * each one leads, through a getter, to a {@link Class}, a class loader or a module.
   */
  static final Set<String> FORBIDDEN_PROPERTIES = Set.of(
      "class", "getclass", "declaringclass", "classloader", "module", "componenttype", "superclass");

  /** Deepest nesting of parentheses, brackets and argument lists accepted. */
  static final int MAX_DEPTH = 32;

  private final String owner;
  private final String source;
  private final Set<String> roots;
  private final List<Token> tokens;
  private final List<KeyRead> keyReads = new ArrayList<>();
  private int index;
  private int depth;

  private SandboxValidator(String owner, String source, Set<String> roots, List<Token> tokens) {
    this.owner = owner;
    this.source = source;
    this.roots = roots;
    this.tokens = tokens;
  }

  /**
   * A property after {@code .} or {@code .?} that may only read a key of a map view.
   *
   * @param position where the dot starts, or the blanks before it
   * @param end just after the name
   */
  record KeyRead(int position, int end, String name, boolean nullSafe) { }

  /**
   * @param roots the variable names the expression may start a property chain from
   * @return the properties that must be read as keys (not on {@link #ALLOWED_PROPERTIES}), in source order
   * @throws InvalidExpressionException if the expression leaves the sandbox or is not well formed
   */
  static List<KeyRead> validate(String owner, String source, Set<String> roots) {
    List<Token> tokens = ExpressionLexer.tokenize(owner, source);
    SandboxValidator validator = new SandboxValidator(owner, source, roots, tokens);
    if (tokens.get(0).is(Kind.END)) {
      throw validator.refuse(0, "expression is empty");
    }
    validator.expression();
    Token end = validator.peek();
    if (!end.is(Kind.END)) {
      throw validator.refuse(end.position(), "unexpected '" + end.text() + "': expected an operator or the end");
    }
    return List.copyOf(validator.keyReads);
  }

  private void expression() {
    if (++depth > MAX_DEPTH) {
      throw refuse(peek().position(), "nested more than " + MAX_DEPTH + " levels deep");
    }
    binary();
    if (peek().is(Kind.QUESTION)) {
      next();
      expression();
      expect(Kind.COLON, "':' of the conditional 'a ? b : c'");
      expression();
    }
    depth--;
  }

  private void binary() {
    unary();
    while (isBinaryOperator(peek())) {
      next();
      unary();
    }
  }

  private static boolean isBinaryOperator(Token t) {
    return t.is(Kind.OPERATOR) || (t.is(Kind.IDENTIFIER) && WORD_OPERATORS.contains(t.text()));
  }

  private void unary() {
    while (peek().is(Kind.NOT) || peek().isOperator("-")) {
      next();
    }
    postfix();
  }

  private void postfix() {
    primary();
    while (true) {
      Token t = peek();
      if (t.is(Kind.DOT) || t.is(Kind.SAFE_DOT)) {
        next();
        member(t);
      } else if (t.is(Kind.LEFT_BRACKET)) {
        next();
        index();
        expect(Kind.RIGHT_BRACKET, "']'");
      } else if (t.is(Kind.LEFT_PAREN)) {
        throw refuse(t.position(), "'(' here would call a value: only '.method(...)' calls are allowed");
      } else {
        return;
      }
    }
  }

  private void member(Token dot) {
    Token name = next();
    if (!name.is(Kind.IDENTIFIER)) {
      throw refuse(name.position(), "expected a property or method name after '.'");
    }
    if (peek().is(Kind.LEFT_PAREN)) {
      if (!ALLOWED_METHODS.contains(name.text())) {
        throw refuse(name.position(), "method '" + name.text() + "' is not allowed (allowed: "
            + String.join(", ", ALLOWED_METHODS.stream().sorted().toList()) + ")");
      }
      next();
      arguments();
    } else if (forbiddenProperty(name.text())) {
      throw refuse(name.position(), "property '" + name.text() + "' is not allowed: it reaches a class");
    } else if (AbstractParser.CLASS_LITERALS.containsKey(name.text())) {
      // MVEL falls back to its class literals when a property is not found: 'x.Runtime' is Runtime.class
      throw refuse(name.position(), "property '" + name.text() + "' is not allowed: MVEL reads it as a class");
    } else if (!ALLOWED_PROPERTIES.contains(name.text())) {
      int start = dot.position(); // with the blanks before the dot: MVEL reads 'record .get(...)' as a name 'record '
      while (start > 0 && Character.isWhitespace(source.charAt(start - 1))) {
        start--;
      }
      keyReads.add(new KeyRead(start, name.position() + name.text().length(), name.text(), dot.is(Kind.SAFE_DOT)));
    }
  }

  /**
   * Whether a property reaches a class, also when spelled as its getter: MVEL reads {@code x.getDeclaringClass} as
   * the call {@code x.getDeclaringClass()}.
   */
  static boolean forbiddenProperty(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (FORBIDDEN_PROPERTIES.contains(n)) return true;
    if (n.startsWith("get") && FORBIDDEN_PROPERTIES.contains(n.substring(3))) return true;
    return n.startsWith("is") && FORBIDDEN_PROPERTIES.contains(n.substring(2));
  }

  private void index() {
    Token first = peek();
    if (first.is(Kind.STRING) && forbiddenProperty(first.text())) {
      throw refuse(first.position(), "index '" + first.text() + "' is not allowed: it reaches a class");
    }
    expression();
  }

  private void arguments() {
    if (peek().is(Kind.RIGHT_PAREN)) {
      next();
      return;
    }
    expression();
    while (peek().is(Kind.COMMA)) {
      next();
      expression();
    }
    expect(Kind.RIGHT_PAREN, "')' or ',' in the argument list");
  }

  private void primary() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER, STRING -> { }
      case LEFT_PAREN -> {
        expression();
        expect(Kind.RIGHT_PAREN, "')'");
      }
      case IDENTIFIER -> root(t);
      case END -> throw refuse(t.position(), "expression ends where a value was expected");
      default -> throw refuse(t.position(), "unexpected '" + t.text() + "': expected a value");
    }
  }

  private void root(Token t) {
    String name = t.text();
    if (peek().is(Kind.LEFT_PAREN)) {
      throw refuse(t.position(), "'" + name + "(...)' is not allowed: no functions or static calls,"
          + " only '.method(...)' on a value");
    }
    if (LITERALS.contains(name)) {
      return;
    }
    if (!roots.contains(name)) {
      throw refuse(t.position(), "unknown name '" + name + "': an expression may only read "
          + String.join(", ", roots.stream().sorted().toList()));
    }
  }

  private void expect(Kind kind, String what) {
    Token t = next();
    if (!t.is(kind)) {
      throw refuse(t.position(), t.is(Kind.END)
          ? "expression ends where " + what + " was expected"
          : "unexpected '" + t.text() + "': expected " + what);
    }
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token next() {
    Token t = tokens.get(index);
    if (!t.is(Kind.END)) {
      index++;
    }
    return t;
  }

  private InvalidExpressionException refuse(int position, String reason) {
    return new InvalidExpressionException(owner, source, position, reason);
  }
}
