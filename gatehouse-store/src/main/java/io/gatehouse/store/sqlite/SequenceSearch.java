package io.gatehouse.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Finds the first telemetry sequence enqueued at or after a time by binary search over the primary
 * key: about 30 point lookups for a billion rows, where an index on {@code enqueued_at} would cost
 * every append an extra B-tree insert. Valid because the log's enqueue times never decrease in
 * sequence order. Tolerates gaps in the sequence. Runs inside one read snapshot.
 */
final class SequenceSearch {
  private final Connection connection;

  SequenceSearch(Connection connection) {
    this.connection = connection;
  }

  /** {@code nextIfEmpty} when the log holds no rows; one past the last row when all are earlier. */
  long firstAtOrAfter(long millis, long nextIfEmpty) throws SQLException {
    long lo;
    long hi;
    try (PreparedStatement bounds = connection.prepareStatement("SELECT MIN(sequence), MAX(sequence) FROM telemetry");
        ResultSet rs = bounds.executeQuery()) {
      rs.next();
      lo = rs.getLong(1);
      if (rs.wasNull()) {
        return nextIfEmpty;
      }
      hi = rs.getLong(2) + 1;
    }
    // Invariant: the answer lies in [lo, hi]; hi is a row enqueued at or after `millis`, or past the end.
    try (PreparedStatement probe = connection.prepareStatement(
        "SELECT sequence, enqueued_at FROM telemetry WHERE sequence >= ? ORDER BY sequence LIMIT 1")) {
      while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        probe.setLong(1, mid);
        try (ResultSet rs = probe.executeQuery()) {
          if (!rs.next() || rs.getLong(1) >= hi) {
            hi = mid;
          } else if (rs.getLong(2) >= millis) {
            hi = rs.getLong(1);
          } else {
            lo = rs.getLong(1) + 1;
          }
        }
      }
    }
    return hi;
  }
}
