package io.gatehouse.store.sqlite;

import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Maps audit entries to rows of {@code audit_log} and back. */
final class AuditRows {
  static final String COLUMNS = "sequence, event_time, actor, action, target, outcome, reason,"
      + " source_address, previous_hash, hash";

  private AuditRows() {}

  /** The newest entry, if any. */
  static Optional<AuditEntry> head(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM audit_log ORDER BY sequence DESC LIMIT 1");
        ResultSet rs = query.executeQuery()) {
      return rs.next() ? Optional.of(read(rs)) : Optional.empty();
    }
  }

  /** Binds the ten columns in table order. */
  static void bind(PreparedStatement insert, AuditEntry entry) throws SQLException {
    AuditEvent event = entry.event();
    insert.setLong(1, entry.sequence());
    Millis.bind(insert, 2, event.time());
    insert.setString(3, event.actor());
    insert.setString(4, event.action());
    insert.setString(5, event.target());
    insert.setString(6, event.outcome().name());
    insert.setString(7, event.reason());
    insert.setString(8, event.sourceAddress());
    insert.setString(9, entry.previousHash());
    insert.setString(10, entry.hash());
  }

  static AuditEntry read(ResultSet rs) throws SQLException {
    AuditEvent event = new AuditEvent(Millis.read(rs, "event_time"), rs.getString("actor"), rs.getString("action"),
        rs.getString("target"), AuditEvent.Outcome.valueOf(rs.getString("outcome")), rs.getString("reason"),
        rs.getString("source_address"));
    return new AuditEntry(rs.getLong("sequence"), event, rs.getString("previous_hash"), rs.getString("hash"));
  }
}
