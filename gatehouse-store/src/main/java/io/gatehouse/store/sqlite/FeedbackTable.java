package io.gatehouse.store.sqlite;

import io.gatehouse.core.message.Feedback;
import io.gatehouse.core.message.FeedbackStatus;
import io.gatehouse.core.message.InboxMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Feedback records for the senders of cloud-to-device messages. Written only from inside the write
 * task that ends the message, so the outcome and its record commit (or fail) together.
 */
final class FeedbackTable {
  private static final String COLUMNS = "sequence, sender, device_id, original_message_id, original_sequence,"
      + " enqueued_at, status, description";

  private FeedbackTable() {}

  /** Records {@code status} for {@code message} if its ack mode asks for it; returns whether it did. */
  static boolean record(Connection connection, InboxMessage message, FeedbackStatus status, Instant now)
      throws SQLException {
    if (!message.ack().wants(status)) {
      return false;
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO inbox_feedback (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, InboxCounters.next(connection, InboxCounters.FEEDBACK));
      insert.setString(2, message.sender());
      insert.setString(3, message.deviceId());
      insert.setString(4, message.properties().messageId());
      insert.setLong(5, message.sequence());
      Millis.bind(insert, 6, Millis.truncate(now));
      insert.setString(7, status.wireName());
      insert.setString(8, description(status));
      insert.executeUpdate();
    }
    return true;
  }

  static List<Feedback> read(Connection connection, String sender, long fromSequence, int limit) throws SQLException {
    List<Feedback> records = new ArrayList<>(Math.min(limit, 256));
    try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
        + " FROM inbox_feedback WHERE sender = ? AND sequence >= ? ORDER BY sequence LIMIT ?")) {
      query.setString(1, sender);
      query.setLong(2, fromSequence);
      query.setInt(3, limit);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          records.add(new Feedback(rs.getLong("sequence"), rs.getString("sender"), rs.getString("device_id"),
              rs.getString("original_message_id"), rs.getLong("original_sequence"), Millis.read(rs, "enqueued_at"),
              status(rs.getString("status")), rs.getString("description")));
        }
      }
    }
    return records;
  }

  /** Azure's wording, which service SDKs show to people. */
  static String description(FeedbackStatus status) {
    return switch (status) {
      case SUCCESS -> "Success";
      case EXPIRED -> "Message expired";
      case DELIVERY_COUNT_EXCEEDED -> "Message delivery count exceeded";
      case REJECTED -> "Message rejected";
      case PURGED -> "Message purged";
    };
  }

  private static FeedbackStatus status(String wireName) {
    for (FeedbackStatus status : FeedbackStatus.values()) {
      if (status.wireName().equals(wireName)) {
        return status;
      }
    }
    throw new StoreFailureException("stored feedback status '" + wireName + "' is not known");
  }
}
