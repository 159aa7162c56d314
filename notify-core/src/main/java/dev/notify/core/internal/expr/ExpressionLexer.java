package dev.notify.core.internal.expr;

import dev.notify.core.InvalidExpressionException;
import dev.notify.core.internal.expr.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits an expression into tokens, refusing every character and keyword the sandbox does not allow.
 *
 * <p>The lexer is deliberately stricter than MVEL's: what it accepts is a small, unambiguous subset
 * (ASCII identifiers, quoted strings with a handful of escapes, decimal numbers, a fixed operator
 * set), so that the tokens validated here are the tokens MVEL will see. Anything outside that subset is
 * refused with the position of the offending character.
 */
final class ExpressionLexer {

  /** MVEL keywords (statements, declarations, class-naming operators) that never appear in a sandboxed expression. */
  static final Set<String> FORBIDDEN_KEYWORDS = Set.of(
      "new", "import", "import_static", "def", "function", "var", "foreach", "for", "while", "do",
      "until", "with", "if", "else", "switch", "return", "assert", "in", "instanceof", "is",
      "convertable_to", "isdef", "stacklang", "this", "class", "proto", "macro");

  /** Symbolic operators, longest first so that {@code <=} wins over {@code <}. */
  private static final List<String> OPERATORS = List.of(
      "==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%");

  private final String owner;
  private final String source;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  private ExpressionLexer(String owner, String source) {
    this.owner = owner;
    this.source = source;
  }

  static List<Token> tokenize(String owner, String source) {
    ExpressionLexer lexer = new ExpressionLexer(owner, source);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    while (pos < source.length()) {
      char c = source.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else if (isIdentifierStart(c)) {
        identifier();
      } else if (c >= '0' && c <= '9') {
        number();
      } else if (c == '\'' || c == '"') {
        string(c);
      } else {
        symbol(c);
      }
    }
    tokens.add(new Token(Kind.END, "", source.length()));
  }

  private void identifier() {
    int start = pos;
    while (pos < source.length() && isIdentifierPart(source.charAt(pos))) {
      pos++;
    }
    String word = source.substring(start, pos);
    if (FORBIDDEN_KEYWORDS.contains(word)) {
      throw refuse(start, "'" + word + "' is not allowed in an expression");
    }
    tokens.add(new Token(Kind.IDENTIFIER, word, start));
  }

  private void number() {
    int start = pos;
    digits();
    if (pos + 1 < source.length() && source.charAt(pos) == '.' && isDigit(source.charAt(pos + 1))) {
      pos++;
      digits();
    }
    if (pos < source.length() && "lLdDfF".indexOf(source.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos < source.length() && (isIdentifierPart(source.charAt(pos)) || source.charAt(pos) == '$')) {
      throw refuse(start, "malformed number '" + source.substring(start, pos + 1) + "'");
    }
    tokens.add(new Token(Kind.NUMBER, source.substring(start, pos), start));
  }

  private void digits() {
    while (pos < source.length() && isDigit(source.charAt(pos))) {
      pos++;
    }
  }

  private void string(char quote) {
    int start = pos;
    pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= source.length()) {
        throw refuse(start, "unterminated string literal");
      }
      char c = source.charAt(pos);
      if (c == quote) {
        pos++;
        break;
      }
      if (c == '\\') {
        if (pos + 1 >= source.length()) {
          throw refuse(pos, "unterminated string literal");
        }
        char escaped = source.charAt(pos + 1);
        switch (escaped) {
          case '\\', '\'', '"' -> value.append(escaped);
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          default -> throw refuse(pos, "unsupported escape '\\" + escaped
              + "' in string literal (allowed: \\\\ \\' \\\" \\n \\t \\r)");
        }
        pos += 2;
      } else {
        value.append(c);
        pos++;
      }
    }
    tokens.add(new Token(Kind.STRING, value.toString(), start));
  }

  private void symbol(char c) {
    int start = pos;
    switch (c) {
      case '.' -> {
        if (pos + 1 < source.length() && source.charAt(pos + 1) == '?') {
          add(Kind.SAFE_DOT, 2);
        } else {
          add(Kind.DOT, 1);
        }
        return;
      }
      case '(' -> { add(Kind.LEFT_PAREN, 1); return; }
      case ')' -> { add(Kind.RIGHT_PAREN, 1); return; }
      case '[' -> { add(Kind.LEFT_BRACKET, 1); return; }
      case ']' -> { add(Kind.RIGHT_BRACKET, 1); return; }
      case ',' -> { add(Kind.COMMA, 1); return; }
      case '?' -> { add(Kind.QUESTION, 1); return; }
      case ':' -> { add(Kind.COLON, 1); return; }
      default -> { }
    }
    String rest = source.substring(pos, Math.min(pos + 3, source.length()));
    if (rest.startsWith("//") || rest.startsWith("/*")) {
      throw refuse(start, "comments are not allowed");
    }
    if (rest.startsWith("++") || rest.startsWith("--")) {
      throw refuse(start, "'" + rest.substring(0, 2) + "' is not allowed: expressions cannot modify values");
    }
    if (rest.startsWith("~=")) {
      throw refuse(start, "regular-expression matching '~=' is not allowed");
    }
    for (String op : OPERATORS) {
      if (rest.startsWith(op)) {
        int after = pos + op.length();
        if (after < source.length() && source.charAt(after) == '='
            && (op.length() == 1 || op.equals("==") || op.equals("!="))) {
          throw refuse(start, op.length() == 1
              ? "'" + op + "=' is not allowed: expressions cannot assign values"
              : "'" + op + "=' is not an operator (use '" + op + "')");
        }
        add(Kind.OPERATOR, op.length());
        return;
      }
    }
    if (c == '!') {
      add(Kind.NOT, 1);
      return;
    }
    throw refuse(start, describe(c));
  }

  private static String describe(char c) {
    return switch (c) {
      case '=' -> "assignment '=' is not allowed (use '==' to compare)";
      case ';' -> "';' is not allowed: an expression is a single value, not statements";
      case '{', '}' -> "'" + c + "' is not allowed: no blocks, inline maps or arrays";
      case '@' -> "'@' is not allowed: no templates or interceptors";
      case '$', '#', '`', '~', '^', '&', '|' -> "character '" + c + "' is not allowed";
      case '\\' -> "'\\' is not allowed outside a string literal (no unicode escapes)";
      default -> c < 0x20 || c > 0x7e
          ? String.format("character U+%04X is not allowed outside a string literal", (int) c)
          : "character '" + c + "' is not allowed";
    };
  }

  private void add(Kind kind, int length) {
    tokens.add(new Token(kind, source.substring(pos, pos + length), pos));
    pos += length;
  }

  private InvalidExpressionException refuse(int position, String reason) {
    return new InvalidExpressionException(owner, source, position, reason);
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
