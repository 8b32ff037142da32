package io.gatehouse.store;

import io.gatehouse.core.message.TelemetryMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable device-to-cloud stream. {@link #append} completes only after the message is
 * committed and synced to disk, sharing one sync with every message appended at the same time
 * (group commit): that completion is what lets a transport acknowledge (PUBACK, HTTP 204).
 */
public interface TelemetryLog extends AutoCloseable {
  /**
   * Queues {@code message} (its sequence and enqueue time are ignored) and completes with the
   * stored copy, once durable. The log assigns the sequence and stamps the enqueue time in commit
   * order, so enqueue times never decrease along the log. Completes exceptionally with
   * {@link io.gatehouse.core.error.LimitExceededException} when the write queue is full, and with
   * {@link io.gatehouse.core.error.InvalidInputException} when payload and properties exceed
   * {@link TelemetryMessage#MAX_SIZE}. Never blocks.
   */
  CompletableFuture<TelemetryMessage> append(TelemetryMessage message);

  /** Messages with sequence ≥ {@code fromSequence}, in order, at most {@code limit}. */
  List<TelemetryMessage> read(long fromSequence, int limit);

  /** The first sequence enqueued at or after {@code time}; the next sequence to be written if none. */
  long firstSequenceAt(Instant time);

  /** The sequence the next append will get. */
  long nextSequence();

  /** A consumer group's committed position: the next sequence it wants. */
  Optional<Long> committedOffset(String consumerGroup);

  /** Durably records a consumer group's position. */
  void commitOffset(String consumerGroup, long nextSequence);

  /**
   * Deletes messages enqueued before {@code olderThan}, then the oldest ones while the log holds
   * more than {@code maxBytes} of payload. Returns how many were removed.
   */
  long applyRetention(Instant olderThan, long maxBytes);

  @Override
  void close();
}
