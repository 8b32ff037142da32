package io.gatehouse.edge.runtime;

import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.edge.alarm.AlarmEngine;
import io.gatehouse.edge.alarm.AlarmEvent;
import io.gatehouse.edge.pipeline.Pipeline;
import io.gatehouse.edge.pipeline.Reading;
import io.gatehouse.edge.pipeline.Upstream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the pipeline and the alarm rules (neither is thread-safe). Readings from
 * every adapter queue here (bounded: a full queue refuses the reading, and the leaf hears so); the
 * thread also ticks both every {@link #TICK}, so windows and batches close and alarm hold times run
 * out on time, with or without new readings, online or offline.
 *
 * <p>Alarm rules see each reading as the leaf sent it, before the pipeline, so no filter or privacy
 * stage can hide an alarm. A raised alarm's actuator command goes out at once, locally, before the
 * reading continues into the pipeline.
 */
final class ProcessingLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessingLoop.class);
  static final Duration TICK = Duration.ofMillis(50);

  /** Where results go; called on the loop's thread, must not block. */
  interface Results {
    /** Completes once the items are durable. */
    CompletableFuture<Void> upstream(List<Upstream> items);

    void alarm(AlarmEvent event);
  }

  private record Submitted(Reading reading, CompletableFuture<Void> stored) {}

  private final Pipeline pipeline;
  private final AlarmEngine alarms;
  private final InstantSource clock;
  private final Results results;
  private final BlockingQueue<Submitted> queue;
  private final Thread thread;
  private final AtomicLong processed = new AtomicLong();
  private volatile boolean running = true;

  ProcessingLoop(Pipeline pipeline, AlarmEngine alarms, InstantSource clock, Results results, int capacity) {
    this.pipeline = pipeline;
    this.alarms = alarms;
    this.clock = clock;
    this.results = results;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofPlatform().name("gatehouse-edge-processing").daemon(true).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a reading; the future completes when what the pipeline made of it at once is durable
   * (or at once if a stage keeps it for a window or batch; see ARCHITECTURE.md).
   */
  CompletableFuture<Void> submit(Reading reading) {
    CompletableFuture<Void> stored = new CompletableFuture<>();
    if (!running) {
      stored.completeExceptionally(new IllegalStateException("the edge is shutting down"));
    } else if (!queue.offer(new Submitted(reading, stored))) {
      stored.completeExceptionally(new LimitExceededException("the edge's processing queue is full ("
          + (queue.size() + queue.remainingCapacity()) + " readings); send again shortly"));
    }
    return stored;
  }

  long processed() {
    return processed.get();
  }

  private void loop() {
    Instant nextTick = clock.instant().plus(TICK);
    while (running || !queue.isEmpty()) {
      try {
        Submitted next = queue.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
        if (next != null) {
          process(next);
        }
        Instant now = clock.instant();
        if (!now.isBefore(nextTick)) {
          nextTick = now.plus(TICK);
          alarms.tick(now).forEach(this::alarm);
          forward(pipeline.tick(now));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("edge processing step failed; carrying on", e);
      }
    }
    forward(pipeline.flush());
  }

  private void process(Submitted submitted) {
    Reading reading = submitted.reading();
    try {
      alarms.evaluate(reading, clock.instant()).forEach(this::alarm);
      List<Upstream> items = pipeline.accept(reading);
      processed.incrementAndGet();
      results.upstream(items).whenComplete((done, failure) -> {
        if (failure == null) {
          submitted.stored().complete(null);
        } else {
          submitted.stored().completeExceptionally(failure);
        }
      });
    } catch (RuntimeException e) {
      submitted.stored().completeExceptionally(e);
      throw e;
    }
  }

  private void alarm(AlarmEvent event) {
    LOG.warn("alarm {} device={} rule={} value={}", event.state(), event.deviceId(), event.rule().name(), event.value());
    results.alarm(event);
  }

  private void forward(List<Upstream> items) {
    if (!items.isEmpty()) {
      results.upstream(items).whenComplete((done, failure) -> {
        if (failure != null) {
          LOG.error("edge could not buffer {} pipeline output(s): {}", items.size(), failure.toString());
        }
      });
    }
  }

  /** Stops taking readings, processes what is queued, flushes every stage into the buffer, and ends. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
