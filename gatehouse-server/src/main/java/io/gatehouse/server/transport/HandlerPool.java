package io.gatehouse.server.transport;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs API handlers on virtual threads (they block on the store; the event loop must not), at most
 * {@code maxInFlight} at once: a request flood then costs 503s, not unbounded threads and memory.
 * A permit is held from admission until the response is written, so draining waits for both.
 */
final class HandlerPool implements AutoCloseable {
  enum Admission { ADMITTED, BUSY, DRAINING }

  private final int maxInFlight;
  private final Semaphore permits;
  private final ExecutorService executor;
  private volatile boolean draining;

  HandlerPool(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    this.permits = new Semaphore(maxInFlight);
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gatehouse-api-", 0).factory());
  }

  /** On {@link Admission#ADMITTED} the caller owns a permit and must {@link #release()} it exactly once. */
  Admission tryAdmit() {
    if (draining) {
      return Admission.DRAINING;
    }
    if (!permits.tryAcquire()) {
      return Admission.BUSY;
    }
    if (draining) { // lost a race with drain(): do not start work it is no longer waiting for
      permits.release();
      return Admission.DRAINING;
    }
    return Admission.ADMITTED;
  }

  void execute(Runnable task) {
    executor.execute(task);
  }

  void release() {
    permits.release();
  }

  boolean isDraining() {
    return draining;
  }

  int inFlight() {
    return maxInFlight - permits.availablePermits();
  }

  /** Admits nothing more and waits up to {@code grace} for admitted requests; true if all finished. */
  boolean drain(Duration grace) {
    draining = true;
    try {
      return permits.tryAcquire(maxInFlight, grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Interrupts handlers still running (after the grace period) and stops the executor. */
  @Override
  public void close() {
    draining = true;
    executor.shutdownNow();
  }
}
