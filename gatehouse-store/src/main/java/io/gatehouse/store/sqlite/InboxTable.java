package io.gatehouse.store.sqlite;

import io.gatehouse.core.message.FeedbackStatus;
import io.gatehouse.core.message.InboxMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements on {@code inbox_messages}. A message is a row only while waiting or locked;
 * {@link #end} deletes it and records the sender's feedback in the same transaction. Every method
 * runs inside the caller's write task (or read snapshot).
 */
final class InboxTable {
  private static final String SELECT = "SELECT " + InboxRows.COLUMNS + " FROM inbox_messages ";

  private InboxTable() {}

  /** Messages waiting or locked. */
  static int depth(Connection connection, String deviceId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT COUNT(*) FROM inbox_messages WHERE device_id = ?")) {
      query.setString(1, deviceId);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static void insert(Connection connection, InboxMessage stored) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(InboxRows.INSERT)) {
      InboxRows.bindNew(insert, stored);
      insert.executeUpdate();
    }
  }

  /** Up to {@code limit} of the oldest messages that are waiting or whose lock has run out. */
  static List<InboxMessage> oldestDeliverable(Connection connection, String deviceId, Instant now, int limit)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(SELECT
        + "WHERE device_id = ? AND (state = 'waiting' OR locked_until <= ?) ORDER BY sequence LIMIT ?")) {
      query.setString(1, deviceId);
      Millis.bind(query, 2, now);
      query.setInt(3, limit);
      return all(query);
    }
  }

  /** The message {@code lockToken} holds, if the lock is still valid at {@code now}. */
  static Optional<InboxMessage> lockedBy(Connection connection, String deviceId, String lockToken, Instant now)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(SELECT
        + "WHERE device_id = ? AND lock_token = ? AND state = 'locked' AND locked_until > ?")) {
      query.setString(1, deviceId);
      query.setString(2, lockToken);
      Millis.bind(query, 3, now);
      return one(query);
    }
  }

  /** Locks {@code message} under a new token, counting one more delivery; returns the locked copy. */
  static InboxMessage lock(Connection connection, InboxMessage message, String lockToken, Instant lockedUntil)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE inbox_messages SET state = 'locked',"
        + " lock_token = ?, locked_until = ?, delivery_count = ? WHERE device_id = ? AND sequence = ?")) {
      update.setString(1, lockToken);
      Millis.bind(update, 2, lockedUntil);
      update.setInt(3, message.deliveryCount() + 1);
      update.setString(4, message.deviceId());
      update.setLong(5, message.sequence());
      requireOneRow(update.executeUpdate(), message);
    }
    return new InboxMessage(message.deviceId(), message.sequence(), message.sender(), message.properties(),
        message.payload(), message.ack(), message.enqueuedAt(), message.expiresAt(), message.deliveryCount() + 1,
        lockToken, lockedUntil);
  }

  /** Back to waiting; the delivery count stays raised. */
  static void unlock(Connection connection, InboxMessage message) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE inbox_messages SET state = 'waiting',"
        + " lock_token = NULL, locked_until = NULL WHERE device_id = ? AND sequence = ?")) {
      update.setString(1, message.deviceId());
      update.setLong(2, message.sequence());
      requireOneRow(update.executeUpdate(), message);
    }
  }

  /** Removes {@code message} from the queue, with feedback {@code status} if its sender asked for it. */
  static void end(Connection connection, InboxMessage message, FeedbackStatus status, Instant now)
      throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM inbox_messages WHERE device_id = ? AND sequence = ?")) {
      delete.setString(1, message.deviceId());
      delete.setLong(2, message.sequence());
      requireOneRow(delete.executeUpdate(), message);
    }
    FeedbackTable.record(connection, message, status, now);
  }

  /** Up to {@code limit} messages whose TTL has passed at {@code now}, of one device or (null) all. */
  static List<InboxMessage> expired(Connection connection, String deviceId, Instant now, int limit)
      throws SQLException {
    String where = deviceId == null ? "WHERE expires_at <= ? " : "WHERE expires_at <= ? AND device_id = ? ";
    try (PreparedStatement query = connection.prepareStatement(SELECT + where + "ORDER BY expires_at LIMIT ?")) {
      Millis.bind(query, 1, now);
      int next = 2;
      if (deviceId != null) {
        query.setString(next++, deviceId);
      }
      query.setInt(next, limit);
      return all(query);
    }
  }

  /** Ends every message of {@code deviceId} with feedback {@code Purged}; returns how many. */
  static int purge(Connection connection, String deviceId, Instant now) throws SQLException {
    List<InboxMessage> messages;
    try (PreparedStatement query = connection.prepareStatement(SELECT + "WHERE device_id = ? ORDER BY sequence")) {
      query.setString(1, deviceId);
      messages = all(query);
    }
    for (InboxMessage message : messages) {
      end(connection, message, FeedbackStatus.PURGED, now);
    }
    return messages.size();
  }

  private static Optional<InboxMessage> one(PreparedStatement query) throws SQLException {
    try (ResultSet rs = query.executeQuery()) {
      return rs.next() ? Optional.of(InboxRows.read(rs)) : Optional.empty();
    }
  }

  private static List<InboxMessage> all(PreparedStatement query) throws SQLException {
    List<InboxMessage> messages = new ArrayList<>();
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        messages.add(InboxRows.read(rs));
      }
    }
    return messages;
  }

  /** Only the single writer changes these rows, so a row read in the same task must still be there. */
  private static void requireOneRow(int updated, InboxMessage message) throws SQLException {
    if (updated != 1) {
      throw new SQLException("inbox message " + message.sequence() + " of device '" + message.deviceId()
          + "' changed under the writer (" + updated + " rows updated)");
    }
  }
}
