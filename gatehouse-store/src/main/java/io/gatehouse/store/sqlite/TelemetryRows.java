package io.gatehouse.store.sqlite;

import io.gatehouse.core.message.TelemetryMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Maps telemetry messages to rows of {@code telemetry} and back. */
final class TelemetryRows {
  static final String COLUMNS = "sequence, enqueued_at, device_id, gateway_id, " + PropertyColumns.NAMES + ", payload";
  static final String INSERT = "INSERT INTO telemetry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private TelemetryRows() {}

  /** Binds every column of {@link #INSERT}; {@code encodedApplication} as from {@link ApplicationPropertiesCodec}. */
  static void bind(PreparedStatement insert, TelemetryMessage stored, byte[] encodedApplication) throws SQLException {
    insert.setLong(1, stored.sequence());
    insert.setLong(2, stored.enqueuedAt().toEpochMilli());
    insert.setString(3, stored.deviceId());
    insert.setString(4, stored.gatewayId());
    int next = PropertyColumns.bind(insert, 5, stored.properties(), encodedApplication);
    insert.setBytes(next, stored.payload());
  }

  static TelemetryMessage read(ResultSet rs) throws SQLException {
    return new TelemetryMessage(rs.getLong("sequence"), rs.getString("device_id"), rs.getString("gateway_id"),
        Instant.ofEpochMilli(rs.getLong("enqueued_at")), PropertyColumns.read(rs), rs.getBytes("payload"));
  }
}
