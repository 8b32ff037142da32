package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.store.EdgePosture;
import io.gatehouse.store.EdgePostureStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Edge posture reports in SQLite, one row per edge, written through the {@link SqliteWriter} like
 * every other write. The row goes with the edge: its foreign key cascades on delete.
 */
final class SqliteEdgePostureStore implements EdgePostureStore {
  private final SqliteWriter writer;
  private final ReadPool readers;

  SqliteEdgePostureStore(SqliteWriter writer, ReadPool readers) {
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public CompletableFuture<EdgePosture> save(EdgePosture posture) {
    Objects.requireNonNull(posture, "posture");
    EdgePosture stored = new EdgePosture(posture.edgeId(), Millis.truncate(posture.receivedAt()), posture.report(),
        posture.source());
    return writer.trySubmit(tx -> {
      Connection connection = tx.connection();
      requireDevice(connection, stored.edgeId());
      // ON CONFLICT … DO UPDATE means the same in SQLite (3.24+) and PostgreSQL.
      try (PreparedStatement upsert = connection.prepareStatement(
          "INSERT INTO edge_postures (edge_id, received_at, report, source_address) VALUES (?, ?, ?, ?)"
              + " ON CONFLICT (edge_id) DO UPDATE SET received_at = excluded.received_at,"
              + " report = excluded.report, source_address = excluded.source_address")) {
        upsert.setString(1, stored.edgeId());
        Millis.bind(upsert, 2, stored.receivedAt());
        upsert.setString(3, stored.report());
        upsert.setString(4, stored.source());
        upsert.executeUpdate();
      }
      return stored;
    });
  }

  @Override
  public Optional<EdgePosture> find(String edgeId) {
    Objects.requireNonNull(edgeId, "edgeId");
    return readers.read(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT received_at, report, source_address FROM edge_postures WHERE edge_id = ?")) {
        query.setString(1, edgeId);
        try (ResultSet rs = query.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new EdgePosture(edgeId, Millis.read(rs, "received_at"), rs.getString("report"),
              rs.getString("source_address")));
        }
      }
    });
  }

  /** A clear refusal instead of the foreign key's bare "constraint failed". */
  private static void requireDevice(Connection connection, String edgeId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM devices WHERE id = ?")) {
      query.setString(1, edgeId);
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no device '" + edgeId + "' to keep a posture report for");
        }
      }
    }
  }
}
