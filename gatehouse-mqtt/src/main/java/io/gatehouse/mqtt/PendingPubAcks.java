package io.gatehouse.mqtt;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * QoS 1 deliveries to a client that await its PUBACK, keyed by packet id, each with what its
 * PUBACK settles ({@code T}: an inbox lock, a command's future) and a timeout after which the slot
 * is freed and {@code onTimeout} decides what becomes of it. Same shape as Eclipse Hono's
 * {@code PendingPubAcks}. Not thread-safe: used on its connection's event loop only.
 *
 * @param <T> what a PUBACK settles
 */
public final class PendingPubAcks<T> {
  private record Pending<T>(T delivery, ScheduledFuture<?> timer) {}

  private final EventExecutor executor;
  private final Duration timeout;
  private final Consumer<T> onTimeout;
  private final Map<Integer, Pending<T>> pending = new HashMap<>();
  private int lastPacketId;

  public PendingPubAcks(EventExecutor executor, Duration timeout, Consumer<T> onTimeout) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.onTimeout = Objects.requireNonNull(onTimeout, "onTimeout");
  }

  /** A packet id (1–65535) not awaiting a PUBACK; callers keep fewer than 65535 pending. */
  public int nextPacketId() {
    do {
      lastPacketId = lastPacketId == 0xFFFF ? 1 : lastPacketId + 1;
    } while (pending.containsKey(lastPacketId));
    return lastPacketId;
  }

  public void add(int packetId, T delivery) {
    ScheduledFuture<?> timer = executor.schedule(() -> expire(packetId), timeout.toMillis(), TimeUnit.MILLISECONDS);
    pending.put(packetId, new Pending<>(delivery, timer));
  }

  /** What the PUBACK settles, or null for an unknown (or timed-out) packet id. */
  public T acknowledge(int packetId) {
    Pending<T> removed = pending.remove(packetId);
    if (removed == null) {
      return null;
    }
    removed.timer().cancel(false);
    return removed.delivery();
  }

  public int size() {
    return pending.size();
  }

  /** Removes and returns every pending delivery (the connection ended); their timeouts will not fire. */
  public List<T> drain() {
    List<T> all = new ArrayList<>(pending.size());
    for (Pending<T> p : pending.values()) {
      p.timer().cancel(false);
      all.add(p.delivery());
    }
    pending.clear();
    return all;
  }

  private void expire(int packetId) {
    Pending<T> removed = pending.remove(packetId);
    if (removed != null) {
      onTimeout.accept(removed.delivery());
    }
  }
}
