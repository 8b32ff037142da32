package io.gatehouse.server.mqtt;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * QoS 1 deliveries to a client that await its PUBACK, keyed by packet id, each with the inbox
 * (device id) and lock token it settles, and a timeout (after which the lock has expired anyway,
 * and the slot is freed). One window for every inbox the connection serves. Same shape as Eclipse
 * Hono's {@code PendingPubAcks}. Used on one event loop only.
 */
final class PendingPubAcks {
  /** One delivery awaiting its PUBACK: the message of {@code deviceId}'s inbox locked by {@code lockToken}. */
  record Delivery(int packetId, String deviceId, String lockToken) {}

  private final EventExecutor executor;
  private final Duration timeout;
  private final Consumer<Delivery> onTimeout;
  private final Map<Integer, Delivery> deliveries = new HashMap<>();
  private final Map<Integer, ScheduledFuture<?>> timers = new HashMap<>();
  private int lastPacketId;

  PendingPubAcks(EventExecutor executor, Duration timeout, Consumer<Delivery> onTimeout) {
    this.executor = executor;
    this.timeout = timeout;
    this.onTimeout = onTimeout;
  }

  /** A packet id (1–65535) not awaiting a PUBACK; callers keep fewer than 65535 pending. */
  int nextPacketId() {
    do {
      lastPacketId = lastPacketId == 0xFFFF ? 1 : lastPacketId + 1;
    } while (deliveries.containsKey(lastPacketId));
    return lastPacketId;
  }

  void add(int packetId, String deviceId, String lockToken) {
    Delivery delivery = new Delivery(packetId, deviceId, lockToken);
    deliveries.put(packetId, delivery);
    timers.put(packetId, executor.schedule(() -> expire(packetId), timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** The delivery the PUBACK settles, or null for an unknown (or timed-out) packet id. */
  Delivery acknowledge(int packetId) {
    ScheduledFuture<?> timer = timers.remove(packetId);
    if (timer != null) {
      timer.cancel(false);
    }
    return deliveries.remove(packetId);
  }

  int size() {
    return deliveries.size();
  }

  /** Removes and returns every pending delivery (the connection ended). */
  List<Delivery> drain() {
    timers.values().forEach(t -> t.cancel(false));
    timers.clear();
    List<Delivery> all = new ArrayList<>(deliveries.values());
    deliveries.clear();
    return all;
  }

  private void expire(int packetId) {
    timers.remove(packetId);
    Delivery delivery = deliveries.remove(packetId);
    if (delivery != null) {
      onTimeout.accept(delivery);
    }
  }
}
