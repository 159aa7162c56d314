package dev.notify.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigratorTest {
  @Test
  void statements_splitOnLineEndingSemicolons_butNotInsideADollarQuotedBody() {
    String script = "-- a comment\n"
        + "CREATE TABLE t (id INT);\n"
        + "CREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $$\n"
        + "BEGIN\n"
        + "  RETURN 1;\n"
        + "END\n"
        + "$$;\n"
        + "CREATE INDEX i ON t (id);\n";

    assertThat(Migrator.statements(script)).containsExactly(
        "CREATE TABLE t (id INT)",
        "CREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND\n$$",
        "CREATE INDEX i ON t (id)");
  }
}
