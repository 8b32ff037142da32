package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.store.Durability;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces "device seen" updates. A busy device may be seen thousands of times a second; only the
 * latest time per device is kept in memory, and at most one flush task waits in the writer queue,
 * so recording never blocks and never fills the queue. A flush lost to a crash costs only a
 * slightly older "last seen": this is bookkeeping, not something a caller was promised. The devices
 * written are dropped from the device cache once committed, so a lookup shows the new time.
 */
final class ActivityRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(ActivityRecorder.class);
  private final SqliteWriter writer;
  private final IdentityCache<?> devices;
  private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean flushQueued = new AtomicBoolean();

  ActivityRecorder(SqliteWriter writer, IdentityCache<?> devices) {
    this.writer = writer;
    this.devices = devices;
  }

  void record(String deviceId, Instant at) {
    pending.merge(deviceId, Millis.truncate(at), (a, b) -> a.isAfter(b) ? a : b);
    scheduleFlush();
  }

  /** Queues a flush of whatever is pending (used at close, before the writer drains). */
  void scheduleFlush() {
    if (pending.isEmpty() || !flushQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      // Deferred: a last-seen time is not worth an fsync of its own (see Durability.DEFERRED).
      writer.submit(this::flush, Durability.DEFERRED);
    } catch (LimitExceededException | IllegalStateException e) {
      // Kept in memory; the next record() tries again.
      flushQueued.set(false);
      LOG.debug("device activity flush not queued: {}", e.getMessage());
    }
  }

  private Void flush(WriteTransaction tx) throws SQLException {
    // Cleared before draining: anything recorded from now on queues the next flush.
    flushQueued.set(false);
    Map<String, Instant> batch = new HashMap<>();
    for (String id : pending.keySet()) {
      Instant at = pending.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    if (batch.isEmpty()) {
      return null;
    }
    tx.afterRollback(() -> batch.forEach((id, at) -> pending.merge(id, at, (a, b) -> a.isAfter(b) ? a : b)));
    tx.afterCommit(() -> batch.keySet().forEach(devices::invalidate));
    // Only ever moves forward, and leaves etag and updated_at alone: being seen is not an edit.
    try (PreparedStatement update = tx.connection().prepareStatement(
        "UPDATE devices SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)")) {
      for (Map.Entry<String, Instant> entry : batch.entrySet()) {
        long millis = entry.getValue().toEpochMilli();
        update.setLong(1, millis);
        update.setString(2, entry.getKey());
        update.setLong(3, millis);
        update.addBatch();
      }
      update.executeBatch();
    }
    return null;
  }
}
