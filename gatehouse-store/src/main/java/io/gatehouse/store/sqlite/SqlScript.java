package io.gatehouse.store.sqlite;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into statements at semicolons, skipping {@code --} and
 * {@code /* *}{@code /} comments and ignoring semicolons inside quotes. Scripts must not contain
 * trigger bodies or other statements with inner semicolons.
 */
final class SqlScript {
  private SqlScript() {}

  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated /* comment in migration script");
        }
        current.append(' ');
        i = end + 2;
      } else if (c == '\'' || c == '"') {
        int end = closingQuote(script, i);
        current.append(script, i, end + 1);
        i = end + 1;
      } else if (c == ';') {
        add(statements, current);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(statements, current);
    return List.copyOf(statements);
  }

  /** Quotes are escaped by doubling them, in SQLite and PostgreSQL alike. */
  private static int closingQuote(String script, int open) {
    char quote = script.charAt(open);
    int i = open + 1;
    while (i < script.length()) {
      if (script.charAt(i) == quote) {
        if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i;
      }
      i++;
    }
    throw new IllegalArgumentException("unterminated " + quote + " quote in migration script");
  }

  private static void add(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty()) {
      statements.add(statement);
    }
    current.setLength(0);
  }
}
