package io.gatehouse.device.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Lets publishes through while a session is up and holds them while it is being replaced, so a
 * token renewal loses none: {@link #close()} stops new publishes from reaching the old session and
 * returns what is still in flight on it; {@link #open} sends the held ones, in order, on the new
 * one. The hold is bounded: past {@code capacity} a publish fails at once instead of growing the heap.
 */
final class PublishGate<M, R> {
  private record Held<M, R>(M message, CompletableFuture<R> result) {}

  private final int capacity;
  private final Queue<Held<M, R>> held = new ArrayDeque<>();
  private final Set<CompletableFuture<R>> inFlight = ConcurrentHashMap.newKeySet();
  private Function<M, CompletableFuture<R>> session;
  /** Set by {@link #failHeld}: the client is closed, every later publish fails with it. */
  private Throwable shut;
  private long heldTotal;

  PublishGate(int capacity) {
    this.capacity = capacity;
  }

  /** Sends through the open session, or holds the message until one opens. */
  CompletableFuture<R> publish(M message) {
    synchronized (this) {
      if (shut != null) {
        return CompletableFuture.failedFuture(shut);
      }
      if (session == null) {
        if (held.size() >= capacity) {
          return CompletableFuture.failedFuture(new RejectedExecutionException("the device client is reconnecting and "
              + "already holds " + capacity + " messages; retry once it is connected"));
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        held.add(new Held<>(message, result));
        heldTotal++;
        return result;
      }
      return send(session, message);
    }
  }

  /** Holds later publishes; the returned future completes when every publish sent on the old session has. */
  CompletableFuture<Void> close() {
    List<CompletableFuture<R>> pending;
    synchronized (this) {
      session = null;
      pending = new ArrayList<>(inFlight);
    }
    return CompletableFuture.allOf(pending.stream().map(f -> f.handle((r, e) -> null)).toArray(CompletableFuture[]::new));
  }

  /** Sends the held messages on {@code newSession}, then lets publishes through to it. */
  synchronized void open(Function<M, CompletableFuture<R>> newSession) {
    if (shut != null) {
      return;
    }
    for (Held<M, R> h; (h = held.poll()) != null; ) {
      Held<M, R> each = h;
      send(newSession, each.message()).whenComplete((r, e) -> {
        if (e == null) {
          each.result().complete(r);
        } else {
          each.result().completeExceptionally(e);
        }
      });
    }
    session = newSession;
  }

  /** Fails every held publish, and every later one: the client is closing. */
  void failHeld(Throwable reason) {
    List<Held<M, R>> dropped;
    synchronized (this) {
      shut = reason;
      session = null;
      dropped = new ArrayList<>(held);
      held.clear();
    }
    dropped.forEach(h -> h.result().completeExceptionally(reason));
  }

  synchronized int heldCount() {
    return held.size();
  }

  /** How many publishes were ever held (and sent later or failed). */
  synchronized long heldTotal() {
    return heldTotal;
  }

  private CompletableFuture<R> send(Function<M, CompletableFuture<R>> to, M message) {
    CompletableFuture<R> result;
    try {
      result = to.apply(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    inFlight.add(result);
    result.whenComplete((r, e) -> inFlight.remove(result));
    return result;
  }
}
