package io.gatehouse.store.sqlite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Helpers for {@code IN (?, ?, …)} lists: still bound parameters, never values in the SQL text. */
final class SqlLists {
  /** Well under SQLite's and PostgreSQL's limits on bound parameters per statement. */
  static final int MAX_IN_LIST = 500;

  private SqlLists() {}

  static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  static <T> List<List<T>> chunks(List<T> values) {
    List<List<T>> chunks = new ArrayList<>();
    for (int i = 0; i < values.size(); i += MAX_IN_LIST) {
      chunks.add(values.subList(i, Math.min(values.size(), i + MAX_IN_LIST)));
    }
    return chunks;
  }
}
