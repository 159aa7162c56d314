package dev.notify.core.internal.expr;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mvel2.MVEL;

/** A {@link CompiledExpression} backed by an MVEL compiled (and sandbox-checked) expression. */
final class MvelExpression implements CompiledExpression {
  private final String owner;
  private final String source;
  private final Serializable compiled;
  private final Set<String> roots;

  MvelExpression(String owner, String source, Serializable compiled, Set<String> roots) {
    this.owner = owner;
    this.source = source;
    this.compiled = compiled;
    this.roots = roots;
  }

  @Override
  public Object evaluate(Map<String, ?> variables) {
    try {
      return MVEL.executeExpression(compiled, new SandboxVariables(variables, roots));
    } catch (RuntimeException e) {
      throw new ExpressionEvaluationException(owner, source, describe(e), e);
    } catch (StackOverflowError e) {
      throw new ExpressionEvaluationException(owner, source, "too deeply nested", e);
    }
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    // MVEL appends the whole expression with a caret on following lines; the first line says it all.
    int newline = message.indexOf('\n');
    String first = newline > 0 ? message.substring(0, newline).strip() : message;
    Matcher notAMap = KEY_READ_ON_A_VALUE.matcher(first);
    if (notAMap.find()) {
      String type = notAMap.group(1);
      return "a value of type " + type.substring(type.lastIndexOf('.') + 1) + " has no properties: a name after '.' reads a field of a"
          + " record or a key of a map (methods need '()')";
    }
    return KEY_READ.matcher(first).replaceAll(".$1$2");
  }

  /** MVEL's failure for {@code x.get('name')} (how a property is compiled, see ExpressionCompiler) on a value that is not a map. */
  private static final Pattern KEY_READ_ON_A_VALUE =
      Pattern.compile("unable to resolve method: ([\\w.$]+)\\.get\\(java\\.lang\\.String\\)");

  /** A property as ExpressionCompiler hands it to MVEL, to be shown as written. */
  private static final Pattern KEY_READ = Pattern.compile("\\.(\\??)get\\('([A-Za-z0-9_]+)'\\)");

  @Override
  public String source() {
    return source;
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public String toString() {
    return owner + ": " + source;
  }
}
