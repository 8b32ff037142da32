package io.gatehouse.server.mqtt;

import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.server.inbox.InboxService;
import io.gatehouse.store.Durability;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles inbox messages off the event loop (the inbox blocks on the store). Fire and forget: a
 * settlement that fails leaves the lock to expire, after which the message is delivered again.
 * Settlements are {@link Durability#DEFERRED}: the device is told nothing in return, and one lost to
 * a power failure only makes the message come again, so it need not cost an fsync of its own.
 */
final class InboxSettler {
  private static final Logger log = LoggerFactory.getLogger(InboxSettler.class);

  private final InboxService inbox;
  private final Executor blocking;

  InboxSettler(InboxService inbox, Executor blocking) {
    this.inbox = inbox;
    this.blocking = blocking;
  }

  void settle(InboxSettlement settlement, String deviceId, String lockToken) {
    try {
      blocking.execute(() -> {
        try {
          switch (settlement) {
            case COMPLETE -> inbox.complete(deviceId, lockToken, Durability.DEFERRED);
            case ABANDON -> inbox.abandon(deviceId, lockToken, Durability.DEFERRED);
            case REJECT -> inbox.reject(deviceId, lockToken, Durability.DEFERRED);
          }
        } catch (PreconditionFailedException e) {
          log.debug("mqtt inbox lock already lost device={} settlement={}", deviceId, settlement);
        } catch (RuntimeException e) {
          log.warn("mqtt inbox {} failed device={}: {}", settlement, deviceId, e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      log.warn("mqtt inbox {} skipped (server closing) device={}; the lock expires on its own", settlement, deviceId);
    }
  }
}
