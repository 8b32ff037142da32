package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.message.Feedback;
import io.gatehouse.core.message.FeedbackStatus;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.store.AuditLine;
import io.gatehouse.store.DirectLock;
import io.gatehouse.store.Durability;
import io.gatehouse.store.Inbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Device inboxes in the main database, beside the registry, so deleting a device purges its inbox
 * in the same transaction. Every state change is one task of the {@link SqliteWriter}: the single
 * writer thread makes "select the oldest deliverable message, then lock it" atomic, so two pullers
 * never get the same message, and a message's end and its feedback commit together.
 *
 * <p>The delivery count rises each time a message is locked (handed out), so a device that keeps
 * losing its lock cannot hold a message forever: past {@code maxDeliveryCount} it is dead-lettered.
 */
final class SqliteInbox implements Inbox {
  /** The most {@link #feedback} returns at once. */
  static final int MAX_FEEDBACK_READ = 1_000;
  /** Messages one {@link #expire} transaction dead-letters at most, so other writes are not held up. */
  static final int EXPIRE_CHUNK = 1_000;

  private final SqliteWriter writer;
  private final ReadPool readers;
  private final LockTokens lockTokens;
  private final SqliteAuditStore audit;

  SqliteInbox(SqliteWriter writer, ReadPool readers, LockTokens lockTokens, SqliteAuditStore audit) {
    this.writer = writer;
    this.readers = readers;
    this.lockTokens = lockTokens;
    this.audit = audit;
  }

  /**
   * When the device's queue is full, first dead-letters its expired messages (as of the message's
   * enqueue time), so they do not keep the new one out; otherwise they are left to the next
   * delivery attempt or the periodic sweep, which dead-letter them too.
   */
  @Override
  public InboxMessage enqueue(InboxMessage message, int maxDepth, AuditLine<InboxMessage> line, DirectLock direct) {
    Objects.requireNonNull(message, "message");
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
    }
    int size = message.payload().length + message.properties().size();
    if (size > InboxMessage.MAX_SIZE) {
      throw new InvalidInputException("message to device '" + message.deviceId() + "' is " + size
          + " bytes with its properties; at most " + InboxMessage.MAX_SIZE + " are accepted");
    }
    Instant enqueuedAt = Millis.truncate(message.enqueuedAt());
    Instant expiresAt = Millis.truncate(message.expiresAt());
    if (!expiresAt.isAfter(enqueuedAt)) {
      throw new InvalidInputException("message to device '" + message.deviceId() + "' expires (" + expiresAt
          + ") no later than it is enqueued (" + enqueuedAt + "); give it a positive time to live");
    }
    return writer.execute(tx -> {
      Connection connection = tx.connection();
      requireDevice(connection, message.deviceId());
      int depth = InboxTable.depth(connection, message.deviceId());
      if (depth >= maxDepth) {
        // Looked for only when they matter: an expired message must not keep a new one out.
        for (InboxMessage expired : InboxTable.expired(connection, message.deviceId(), enqueuedAt, Integer.MAX_VALUE)) {
          InboxTable.end(connection, expired, FeedbackStatus.EXPIRED, enqueuedAt);
        }
        depth = InboxTable.depth(connection, message.deviceId());
      }
      if (depth >= maxDepth) {
        throw new LimitExceededException("the inbox of device '" + message.deviceId() + "' is full (" + depth
            + " of at most " + maxDepth + " messages waiting or locked); retry once the device has received some");
      }
      long sequence = InboxCounters.next(connection, InboxCounters.MESSAGE);
      // Locked at once only if nothing older is deliverable, so delivery keeps sequence order.
      boolean lockNow = direct != null
          && InboxTable.oldestDeliverable(connection, message.deviceId(), enqueuedAt, 1).isEmpty();
      InboxMessage stored = new InboxMessage(message.deviceId(), sequence, message.sender(), message.properties(),
          message.payload(), message.ack(), enqueuedAt, expiresAt, lockNow ? 1 : 0, lockNow ? lockTokens.next() : null,
          lockNow ? Millis.truncate(enqueuedAt.plus(direct.lockFor())) : null);
      InboxTable.insert(connection, stored);
      audit.appendLine(tx, line, stored);
      if (direct != null) {
        tx.afterCommit(() -> direct.committed().accept(stored));
      }
      return stored;
    });
  }

  @Override
  public List<InboxMessage> lockNext(String deviceId, int max, Duration lockFor, int maxDeliveryCount, Instant now,
      Durability durability) {
    return writer.execute(lockNextTask(deviceId, max, lockFor, maxDeliveryCount, now), durability);
  }

  @Override
  public CompletableFuture<List<InboxMessage>> lockNextAsync(String deviceId, int max, Duration lockFor,
      int maxDeliveryCount, Instant now, Durability durability) {
    return writer.trySubmit(lockNextTask(deviceId, max, lockFor, maxDeliveryCount, now), durability);
  }

  private WriteTask<List<InboxMessage>> lockNextTask(String deviceId, int max, Duration lockFor, int maxDeliveryCount,
      Instant now) {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(lockFor, "lockFor");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    if (lockFor.isNegative() || lockFor.isZero()) {
      throw new IllegalArgumentException("lockFor must be positive, got " + lockFor);
    }
    if (maxDeliveryCount < 1) {
      throw new IllegalArgumentException("maxDeliveryCount must be at least 1, got " + maxDeliveryCount);
    }
    Instant at = Millis.truncate(Objects.requireNonNull(now, "now"));
    Instant lockedUntil = Millis.truncate(at.plus(lockFor));
    return tx -> {
      Connection connection = tx.connection();
      List<InboxMessage> locked = new ArrayList<>(Math.min(max, 16));
      while (locked.size() < max) {
        int wanted = max - locked.size();
        List<InboxMessage> candidates = InboxTable.oldestDeliverable(connection, deviceId, at, wanted);
        for (InboxMessage message : candidates) {
          if (!message.expiresAt().isAfter(at)) {
            InboxTable.end(connection, message, FeedbackStatus.EXPIRED, at);
          } else if (message.deliveryCount() >= maxDeliveryCount) {
            InboxTable.end(connection, message, FeedbackStatus.DELIVERY_COUNT_EXCEEDED, at);
          } else {
            locked.add(InboxTable.lock(connection, message, lockTokens.next(), lockedUntil));
          }
        }
        if (candidates.size() < wanted) {
          break; // the inbox has nothing more to hand out
        }
      }
      return locked;
    };
  }

  @Override
  public void complete(String deviceId, String lockToken, Instant now, Durability durability) {
    writer.execute(settleTask(deviceId, lockToken, Settlement.COMPLETE, now), durability);
  }

  @Override
  public void abandon(String deviceId, String lockToken, Instant now, Durability durability) {
    writer.execute(settleTask(deviceId, lockToken, Settlement.ABANDON, now), durability);
  }

  @Override
  public void reject(String deviceId, String lockToken, Instant now, Durability durability) {
    writer.execute(settleTask(deviceId, lockToken, Settlement.REJECT, now), durability);
  }

  @Override
  public CompletableFuture<Void> settleAsync(String deviceId, String lockToken, Settlement settlement, Instant now,
      Durability durability) {
    return writer.trySubmit(settleTask(deviceId, lockToken, settlement, now), durability);
  }

  @Override
  public int depth(String deviceId) {
    Objects.requireNonNull(deviceId, "deviceId");
    return readers.read(connection -> InboxTable.depth(connection, deviceId));
  }

  @Override
  public int expire(Instant now) {
    Instant at = Millis.truncate(Objects.requireNonNull(now, "now"));
    int total = 0;
    int chunk;
    do {
      chunk = writer.execute(tx -> {
        List<InboxMessage> expired = InboxTable.expired(tx.connection(), null, at, EXPIRE_CHUNK);
        for (InboxMessage message : expired) {
          InboxTable.end(tx.connection(), message, FeedbackStatus.EXPIRED, at);
        }
        return expired.size();
      });
      total += chunk;
    } while (chunk == EXPIRE_CHUNK);
    return total;
  }

  @Override
  public int purge(String deviceId, Instant now) {
    Objects.requireNonNull(deviceId, "deviceId");
    Instant at = Millis.truncate(Objects.requireNonNull(now, "now"));
    return writer.execute(tx -> InboxTable.purge(tx.connection(), deviceId, at));
  }

  @Override
  public List<Feedback> feedback(String sender, long fromSequence, int limit) {
    Objects.requireNonNull(sender, "sender");
    if (limit < 0) {
      throw new InvalidInputException("limit must not be negative, got " + limit);
    }
    int capped = Math.min(limit, MAX_FEEDBACK_READ);
    if (capped == 0) {
      return List.of();
    }
    return readers.read(connection -> FeedbackTable.read(connection, sender, fromSequence, capped));
  }

  private WriteTask<Void> settleTask(String deviceId, String lockToken, Settlement settlement, Instant now) {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(lockToken, "lockToken");
    Objects.requireNonNull(settlement, "settlement");
    Instant at = Millis.truncate(Objects.requireNonNull(now, "now"));
    FeedbackStatus outcome = switch (settlement) {
      case COMPLETE -> FeedbackStatus.SUCCESS;
      case REJECT -> FeedbackStatus.REJECTED;
      case ABANDON -> null;
    };
    return tx -> {
      Connection connection = tx.connection();
      // The token is not echoed: it is the key to this message for whoever holds it.
      InboxMessage message = InboxTable.lockedBy(connection, deviceId, lockToken, at)
          .orElseThrow(() -> new PreconditionFailedException("the lock on this message of device '" + deviceId
              + "' is lost: it expired, or the message was already completed, abandoned or rejected;"
              + " receive the message again"));
      if (outcome == null) {
        InboxTable.unlock(connection, message);
      } else {
        InboxTable.end(connection, message, outcome, at);
      }
      return null;
    };
  }

  private static void requireDevice(Connection connection, String deviceId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM devices WHERE id = ?")) {
      query.setString(1, deviceId);
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no device '" + deviceId + "'; messages can only be sent to registered devices");
        }
      }
    }
  }
}
