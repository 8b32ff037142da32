package io.gatehouse.edge.local.coap;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the endpoint's leaf state (who is connected, who asks for commands, what
 * is queued and in flight). Californium's and Scandium's threads only post events here, so that
 * state needs no locks and every decision sees a consistent picture, like a Netty event loop.
 */
final class StateThread {
  private static final Logger log = LoggerFactory.getLogger(StateThread.class);

  private final ScheduledExecutorService executor;

  StateThread(String name) {
    executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon(true).factory());
  }

  /** Runs the task on the state thread; false if the thread is shut down (the endpoint closed). */
  boolean post(Runnable task) {
    try {
      executor.execute(guarded(task));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** @throws RejectedExecutionException once the thread is shut down */
  ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** @throws RejectedExecutionException once the thread is shut down */
  ScheduledFuture<?> every(Runnable task, Duration period) {
    return executor.scheduleWithFixedDelay(guarded(task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs the task on the state thread and waits for it (up to the timeout), e.g. to fail pending work on close. */
  void runAndWait(Runnable task, Duration timeout) {
    try {
      Future<?> done = executor.submit(guarded(task));
      done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
      log.warn("leaf state task did not finish error=\"{}\"", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void shutdown(Duration timeout) {
    executor.shutdownNow();
    try {
      executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A failing task is logged; it must neither kill the thread nor stop a periodic task. */
  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("leaf state task failed", e);
      }
    };
  }
}
