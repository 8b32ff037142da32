package io.gatehouse.store.sqlite;

import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.InboxMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Maps inbox messages to rows of {@code inbox_messages} and back. */
final class InboxRows {
  static final String COLUMNS = "device_id, sequence, sender, " + PropertyColumns.NAMES
      + ", payload, ack, enqueued_at, expires_at, delivery_count, state, lock_token, locked_until";
  static final String INSERT = "INSERT INTO inbox_messages (" + COLUMNS + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private InboxRows() {}

  /** Binds every column of {@link #INSERT} for a new message, waiting or (if it has a lock token) locked. */
  static void bindNew(PreparedStatement insert, InboxMessage stored) throws SQLException {
    insert.setString(1, stored.deviceId());
    insert.setLong(2, stored.sequence());
    insert.setString(3, stored.sender());
    int next = PropertyColumns.bind(insert, 4, stored.properties(),
        ApplicationPropertiesCodec.encode(stored.properties().application()));
    insert.setBytes(next++, stored.payload());
    insert.setString(next++, stored.ack().wireName());
    Millis.bind(insert, next++, stored.enqueuedAt());
    Millis.bind(insert, next++, stored.expiresAt());
    insert.setInt(next++, stored.deliveryCount());
    insert.setString(next++, stored.lockToken() == null ? "waiting" : "locked");
    insert.setString(next++, stored.lockToken());
    Millis.bind(insert, next, stored.lockedUntil());
  }

  static InboxMessage read(ResultSet rs) throws SQLException {
    return new InboxMessage(rs.getString("device_id"), rs.getLong("sequence"), rs.getString("sender"),
        PropertyColumns.read(rs), rs.getBytes("payload"), AckMode.fromWire(rs.getString("ack")),
        Millis.read(rs, "enqueued_at"), Millis.read(rs, "expires_at"), rs.getInt("delivery_count"),
        rs.getString("lock_token"), Millis.read(rs, "locked_until"));
  }
}
