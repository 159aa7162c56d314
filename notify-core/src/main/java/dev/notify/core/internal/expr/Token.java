package dev.notify.core.internal.expr;

/** One lexical token of a sandboxed expression: its kind, its text and its zero-based start offset. */
record Token(Kind kind, String text, int position) {

  enum Kind {
    IDENTIFIER,
    STRING,
    NUMBER,
    /** {@code .} */
    DOT,
    /** {@code .?} MVEL's null-safe property access. */
    SAFE_DOT,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    COMMA,
    QUESTION,
    COLON,
    /** {@code !} */
    NOT,
    /** A symbolic binary operator: comparison, logical, arithmetic. */
    OPERATOR,
    END
  }

  boolean is(Kind k) {
    return kind == k;
  }

  boolean isOperator(String op) {
    return kind == Kind.OPERATOR && text.equals(op);
  }
}
