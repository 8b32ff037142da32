package io.gatehouse.store;

import io.gatehouse.core.message.Feedback;
import io.gatehouse.core.message.InboxMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Per-device queues of cloud-to-device messages, with Azure's semantics: bounded depth, TTL,
 * lock / complete / abandon / reject, maximum delivery count, dead-letter, feedback to the sender.
 * A message's end (completed, rejected, expired, delivery count exceeded) writes a feedback record
 * in the same transaction when the message's ack mode asks for it. An enqueue given an
 * {@link AuditLine} commits that line with the message. Locks and settlements may be
 * {@link Durability#DEFERRED} where nobody is told about them (MQTT delivery).
 */
public interface Inbox {
  /**
   * Enqueues (sequence, delivery count and lock are assigned here).
   *
   * @throws io.gatehouse.core.error.LimitExceededException if the device already has
   *     {@code maxDepth} messages waiting or locked
   * @throws io.gatehouse.core.error.NotFoundException if the device is not registered
   * @throws io.gatehouse.core.error.InvalidInputException if payload and properties exceed
   *     {@link InboxMessage#MAX_SIZE}, or the message expires no later than it is enqueued
   */
  default InboxMessage enqueue(InboxMessage message, int maxDepth, AuditLine<InboxMessage> audit) {
    return enqueue(message, maxDepth, audit, null);
  }

  /**
   * Like {@link #enqueue(InboxMessage, int, AuditLine)}, and, if {@code direct} is given, locked at
   * once for a receiver that waits for it when no older message is deliverable (see {@link DirectLock}).
   * The returned message is the one {@code direct} is handed.
   *
   * @param direct null to store the message waiting
   */
  InboxMessage enqueue(InboxMessage message, int maxDepth, AuditLine<InboxMessage> audit, DirectLock direct);

  /** Without an audit line. */
  default InboxMessage enqueue(InboxMessage message, int maxDepth) {
    return enqueue(message, maxDepth, AuditLine.none());
  }

  /**
   * Locks the oldest deliverable message (waiting, or locked with an expired lock) for
   * {@code lockFor}, raising its delivery count; a message whose count would pass
   * {@code maxDeliveryCount} is dead-lettered instead and the next one is tried. Expired messages
   * are dead-lettered on the way.
   */
  default Optional<InboxMessage> lockNext(String deviceId, Duration lockFor, int maxDeliveryCount, Instant now,
      Durability durability) {
    return lockNext(deviceId, 1, lockFor, maxDeliveryCount, now, durability).stream().findFirst();
  }

  /**
   * Like {@link #lockNext(String, Duration, int, Instant, Durability)} for up to {@code max}
   * messages at once, in one transaction, oldest first, each under its own lock token. Fewer than
   * {@code max} means the inbox held no more deliverable messages at that moment, so a deliverer
   * need not ask again until the inbox changes.
   */
  List<InboxMessage> lockNext(String deviceId, int max, Duration lockFor, int maxDeliveryCount, Instant now,
      Durability durability);

  /** With {@link Durability#IMMEDIATE}. */
  default Optional<InboxMessage> lockNext(String deviceId, Duration lockFor, int maxDeliveryCount, Instant now) {
    return lockNext(deviceId, lockFor, maxDeliveryCount, now, Durability.IMMEDIATE);
  }

  /**
   * {@link #lockNext(String, int, Duration, int, Instant, Durability)} queued without waiting, for a
   * caller that must not block (an event loop). Calls of one durability that one thread queues, of
   * this method and of {@link #settleAsync}, reach the store in that order: a settlement queued
   * before a pull is in the store before the pull looks. The future fails with
   * {@link io.gatehouse.core.error.LimitExceededException} at once if the store's write queue is full.
   */
  CompletableFuture<List<InboxMessage>> lockNextAsync(String deviceId, int max, Duration lockFor,
      int maxDeliveryCount, Instant now, Durability durability);

  /** How a locked message is settled: {@link #complete}, {@link #abandon} or {@link #reject}. */
  enum Settlement { COMPLETE, ABANDON, REJECT }

  /**
   * {@link #complete}, {@link #abandon} or {@link #reject} queued without waiting, in order (see
   * {@link #lockNextAsync}). The future fails with what those throw.
   */
  CompletableFuture<Void> settleAsync(String deviceId, String lockToken, Settlement settlement, Instant now,
      Durability durability);

  /** @throws io.gatehouse.core.error.PreconditionFailedException if the lock was lost (expired, or settled) */
  void complete(String deviceId, String lockToken, Instant now, Durability durability);

  /** With {@link Durability#IMMEDIATE}. */
  default void complete(String deviceId, String lockToken, Instant now) {
    complete(deviceId, lockToken, now, Durability.IMMEDIATE);
  }

  /** Back to the queue for another delivery. Same exception as {@link #complete}. */
  void abandon(String deviceId, String lockToken, Instant now, Durability durability);

  /** With {@link Durability#IMMEDIATE}. */
  default void abandon(String deviceId, String lockToken, Instant now) {
    abandon(deviceId, lockToken, now, Durability.IMMEDIATE);
  }

  /** Dead-letters the message with feedback {@code Rejected}. Same exception as {@link #complete}. */
  void reject(String deviceId, String lockToken, Instant now, Durability durability);

  /** With {@link Durability#IMMEDIATE}. */
  default void reject(String deviceId, String lockToken, Instant now) {
    reject(deviceId, lockToken, now, Durability.IMMEDIATE);
  }

  /** Messages waiting or locked, for the depth check and the API. */
  int depth(String deviceId);

  /** Dead-letters every message whose TTL passed; returns how many. */
  int expire(Instant now);

  /** Deletes the whole inbox of a deleted device, with feedback {@code Purged}. */
  int purge(String deviceId, Instant now);

  /** Feedback records for {@code sender} with sequence ≥ {@code fromSequence}, in order. */
  List<Feedback> feedback(String sender, long fromSequence, int limit);
}
