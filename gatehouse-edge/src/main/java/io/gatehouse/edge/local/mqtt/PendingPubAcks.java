package io.gatehouse.edge.local.mqtt;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * QoS 1 commands sent to a leaf and awaiting its PUBACK, keyed by packet id, each with the future to
 * complete and a timeout. Same shape as Eclipse Hono's {@code PendingPubAcks}. Used on one event
 * loop only.
 */
final class PendingPubAcks {
  /** One command awaiting its PUBACK. */
  record Delivery(int packetId, CompletableFuture<Void> result, ScheduledFuture<?> timer) {}

  private final EventExecutor executor;
  private final Duration timeout;
  private final Consumer<Delivery> onTimeout;
  private final Map<Integer, Delivery> deliveries = new HashMap<>();
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

  void add(int packetId, CompletableFuture<Void> result) {
    ScheduledFuture<?> timer = executor.schedule(() -> expire(packetId), timeout.toMillis(), TimeUnit.MILLISECONDS);
    deliveries.put(packetId, new Delivery(packetId, result, timer));
  }

  /** The delivery the PUBACK settles, or null for an unknown (or timed-out) packet id. */
  Delivery acknowledge(int packetId) {
    Delivery delivery = deliveries.remove(packetId);
    if (delivery != null) {
      delivery.timer().cancel(false);
    }
    return delivery;
  }

  int size() {
    return deliveries.size();
  }

  /** Removes and returns every pending delivery (the connection ended). */
  List<Delivery> drain() {
    List<Delivery> all = new ArrayList<>(deliveries.values());
    deliveries.clear();
    all.forEach(d -> d.timer().cancel(false));
    return all;
  }

  private void expire(int packetId) {
    Delivery delivery = deliveries.remove(packetId);
    if (delivery != null) {
      onTimeout.accept(delivery);
    }
  }
}
