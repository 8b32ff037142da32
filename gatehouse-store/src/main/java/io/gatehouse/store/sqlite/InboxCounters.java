package io.gatehouse.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The inbox's global counters, in the table so that numbers survive restarts and are never reused,
 * even when every row they numbered is gone. Read and bumped inside the caller's write task: the
 * inbox is not a hot path, so no cache is worth its rollback bookkeeping.
 */
final class InboxCounters {
  static final String MESSAGE = "message";
  static final String FEEDBACK = "feedback";

  private InboxCounters() {}

  static long next(Connection connection, String name) throws SQLException {
    long value;
    try (PreparedStatement query = connection.prepareStatement("SELECT next_value FROM inbox_counters WHERE name = ?")) {
      query.setString(1, name);
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("inbox counter '" + name + "' is missing; the database is damaged");
        }
        value = rs.getLong(1);
      }
    }
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE inbox_counters SET next_value = ? WHERE name = ?")) {
      update.setLong(1, value + 1);
      update.setString(2, name);
      update.executeUpdate();
    }
    return value;
  }
}
