package io.gatehouse.server.mqtt;

import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.server.inbox.InboxService;
import io.gatehouse.store.Durability;
import io.gatehouse.store.Inbox.Settlement;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles inbox messages delivered over MQTT without blocking the event loop: each settlement is
 * queued on the store's writer behind whatever this connection queued before (a pull included), so
 * the store sees them in the order the connection made them. Fire and forget: a settlement that
 * fails (the write queue full, the store closing) leaves the lock to expire, after which the
 * message is delivered again. Settlements are {@link Durability#DEFERRED}: the device is told
 * nothing in return, and one lost to a power failure only makes the message come again, so it need
 * not cost an fsync of its own.
 */
final class InboxSettler {
  private static final Logger log = LoggerFactory.getLogger(InboxSettler.class);

  private final InboxService inbox;

  InboxSettler(InboxService inbox) {
    this.inbox = inbox;
  }

  void settle(Settlement settlement, String deviceId, String lockToken) {
    inbox.settleAsync(deviceId, lockToken, settlement, Durability.DEFERRED).whenComplete((done, failure) -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof PreconditionFailedException) {
        log.debug("mqtt inbox lock already lost device={} settlement={}", deviceId, settlement);
      } else if (cause != null) {
        log.warn("mqtt inbox {} failed device={}; the lock expires on its own: {}", settlement, deviceId,
            cause.toString());
      }
    });
  }
}
