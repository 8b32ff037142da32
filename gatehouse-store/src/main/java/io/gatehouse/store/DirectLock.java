package io.gatehouse.store;

import io.gatehouse.core.message.InboxMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Asks {@link Inbox#enqueue(InboxMessage, int, AuditLine, DirectLock)} to lock the new message at
 * once for a receiver that is waiting for it (a subscribed MQTT session with room in its window),
 * in the transaction that stores it: the message then needs no pull, that is no second
 * transaction and no trip through the writer's queue, before it is published.
 *
 * <p>The store locks it only if no older message of that device is deliverable (waiting, or with a
 * lapsed lock), so delivery stays in sequence order; otherwise the message is stored waiting, as
 * without this request, and the receiver pulls. Either way {@code committed} gets the stored
 * message once it is committed ({@link InboxMessage#lockToken()} is set only if it was locked), on
 * the store's writer thread and in commit order, so two messages locked this way reach the
 * receiver in their sequence order. It must not block. It is not called if the enqueue fails.
 *
 * @param lockFor how long the lock holds, as for a pull
 */
public record DirectLock(Duration lockFor, Consumer<InboxMessage> committed) {
  public DirectLock {
    Objects.requireNonNull(committed, "committed");
    if (lockFor == null || lockFor.isNegative() || lockFor.isZero()) {
      throw new IllegalArgumentException("lockFor must be positive, got " + lockFor);
    }
  }
}
