package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splitsAtSemicolonsOutsideQuotesAndComments() {
    String script = """
        -- a comment; with a semicolon
        CREATE TABLE a (x TEXT DEFAULT 'semi;colon', "odd;name" TEXT);
        /* block; comment */ INSERT INTO a (x) VALUES ('it''s; fine');

        ;
        SELECT 1
        """;
    assertThat(SqlScript.statements(script)).containsExactly(
        "CREATE TABLE a (x TEXT DEFAULT 'semi;colon', \"odd;name\" TEXT)",
        "INSERT INTO a (x) VALUES ('it''s; fine')",
        "SELECT 1");
  }

  @Test
  void refusesUnterminatedQuotes() {
    assertThatThrownBy(() -> SqlScript.statements("SELECT 'oops;"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
  }
}
