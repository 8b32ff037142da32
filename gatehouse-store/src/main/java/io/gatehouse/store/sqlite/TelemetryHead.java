package io.gatehouse.store.sqlite;

import io.gatehouse.core.message.TelemetryMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The end of the telemetry log as the writer thread sees it: the next sequence, the newest enqueue
 * time and the payload bytes held. Kept in memory so an append is one INSERT and no read, and
 * changed only inside write tasks, with rollback hooks, so it always matches what will be committed.
 * Everything here runs on the writer thread except {@link #committedNext()}.
 *
 * <p>The totals are checkpointed into {@code telemetry_checkpoint} by a task of their own after
 * every {@link #CHECKPOINT_EVERY} sequences, and by every retention task, so opening the log sums only
 * the rows after the checkpoint instead of scanning the whole log. A checkpoint task writes the head as
 * the writer thread sees it, rows of the still open transaction included: it commits or rolls back
 * with them, so the checkpoint never counts a row that is not in the file.
 */
final class TelemetryHead {
  static final long CHECKPOINT_EVERY = 4096;

  private long next;
  private long lastEnqueuedMillis;
  private long payloadBytes;
  private volatile long committedNext;

  private TelemetryHead(long next, long lastEnqueuedMillis, long payloadBytes) {
    this.next = next;
    this.lastEnqueuedMillis = lastEnqueuedMillis;
    this.payloadBytes = payloadBytes;
    this.committedNext = next;
  }

  /** Reads the head from the checkpoint and the rows written after it. */
  static TelemetryHead load(Connection connection) throws SQLException {
    long through;
    long bytes;
    try (PreparedStatement query = connection.prepareStatement(
            "SELECT through_sequence, payload_bytes FROM telemetry_checkpoint WHERE id = 1");
        ResultSet rs = query.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the telemetry checkpoint row is missing; the telemetry database is damaged");
      }
      through = rs.getLong(1);
      bytes = rs.getLong(2);
    }
    long last = through;
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT COALESCE(SUM(length(payload)), 0), MAX(sequence) FROM telemetry WHERE sequence > ?")) {
      query.setLong(1, through);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        bytes += rs.getLong(1);
        long max = rs.getLong(2);
        if (!rs.wasNull()) {
          last = Math.max(last, max);
        }
      }
    }
    long lastEnqueued = 0;
    try (PreparedStatement query = connection.prepareStatement(
            "SELECT enqueued_at FROM telemetry ORDER BY sequence DESC LIMIT 1");
        ResultSet rs = query.executeQuery()) {
      if (rs.next()) {
        lastEnqueued = rs.getLong(1);
      }
    }
    return new TelemetryHead(last + 1, lastEnqueued, bytes);
  }

  /** The sequence after the last committed append; safe from any thread. */
  long committedNext() {
    return committedNext;
  }

  /**
   * Inserts {@code message} as the next sequence, enqueued at {@code nowMillis} or the previous
   * message's time if the clock went back, so enqueue times never decrease along the log. One
   * statement, so it may run without a savepoint ({@link SqliteWriter#trySubmitStatement}). Once it has
   * committed a multiple of {@link #CHECKPOINT_EVERY}, runs {@code checkpointDue} (on the writer thread).
   */
  TelemetryMessage append(WriteTransaction tx, TelemetryMessage message, byte[] encodedApplication, long nowMillis,
      Runnable checkpointDue) throws SQLException {
    long sequence = next;
    long enqueued = Math.max(nowMillis, lastEnqueuedMillis);
    TelemetryMessage stored = new TelemetryMessage(sequence, message.deviceId(), message.gatewayId(),
        Instant.ofEpochMilli(enqueued), message.properties(), message.payload());
    long size = stored.payload().length;
    // Prepared once per connection by its statement cache: preparing it per message would cost
    // more than the insert itself. A failed insert is dropped from the cache, not reused.
    try (PreparedStatement statement = tx.connection().prepareStatement(TelemetryRows.INSERT)) {
      TelemetryRows.bind(statement, stored, encodedApplication);
      statement.executeUpdate();
    }
    // Advanced only now that every statement succeeded; a failure above leaves the head untouched.
    next = sequence + 1;
    lastEnqueuedMillis = enqueued;
    payloadBytes += size;
    // If the shared transaction fails later, this sequence is handed out again. The enqueue time
    // stays raised: a later message stamped no earlier than a lost one harms nothing.
    tx.afterRollback(() -> {
      next = Math.min(next, sequence);
      payloadBytes -= size;
    });
    tx.afterCommit(() -> {
      committedNext = sequence + 1;
      if (sequence % CHECKPOINT_EVERY == 0) {
        checkpointDue.run();
      }
    });
    return stored;
  }

  /** Records the head's totals in the checkpoint row, in the transaction of {@code tx}. */
  void checkpoint(WriteTransaction tx) throws SQLException {
    checkpoint(tx.connection(), next - 1, payloadBytes);
  }

  /**
   * Deletes the oldest rows while their sequence is below {@code beforeSequence} or the log holds
   * more than {@code maxBytes} of payload, at most {@code limit} rows so that appends are not held
   * up behind one long transaction. Returns how many rows went.
   */
  long deleteOldest(WriteTransaction tx, long beforeSequence, long maxBytes, int limit) throws SQLException {
    Connection connection = tx.connection();
    long toFree = Math.max(0, payloadBytes - maxBytes);
    long freed = 0;
    long count = 0;
    long lastDeleted = -1;
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT sequence, length(payload) FROM telemetry ORDER BY sequence LIMIT ?")) {
      query.setInt(1, limit);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          long sequence = rs.getLong(1);
          if (sequence >= beforeSequence && freed >= toFree) {
            break;
          }
          freed += rs.getLong(2);
          count++;
          lastDeleted = sequence;
        }
      }
    }
    if (count == 0) {
      return 0;
    }
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM telemetry WHERE sequence <= ?")) {
      delete.setLong(1, lastDeleted);
      delete.executeUpdate();
    }
    checkpoint(connection, next - 1, payloadBytes - freed);
    payloadBytes -= freed;
    long restored = freed;
    tx.afterRollback(() -> payloadBytes += restored);
    return count;
  }

  private static void checkpoint(Connection connection, long through, long bytes) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE telemetry_checkpoint SET through_sequence = ?, payload_bytes = ? WHERE id = 1")) {
      update.setLong(1, through);
      update.setLong(2, bytes);
      update.executeUpdate();
    }
  }
}
