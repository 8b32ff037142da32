package io.gatehouse.server.bootstrap;

import io.gatehouse.store.Inbox;
import io.gatehouse.store.TelemetryLog;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work that keeps the stores bounded: dead-letters inbox messages whose TTL passed (so
 * senders get their Expired feedback without waiting for the device) and applies telemetry
 * retention by age and size.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("gatehouse-housekeeping").daemon().factory());

  Housekeeping(Inbox inbox, TelemetryLog telemetry, RetentionPolicy retention, Clock clock) {
    timer.scheduleWithFixedDelay(() -> guarded("inbox expiry", () -> {
      int expired = inbox.expire(clock.instant());
      if (expired > 0) {
        LOG.info("inbox expiry dead-lettered={}", expired);
      }
    }), 10, 10, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(() -> guarded("telemetry retention", () -> {
      long removed = telemetry.applyRetention(clock.instant().minus(retention.maxAge()), retention.maxBytes());
      if (removed > 0) {
        LOG.info("telemetry retention removed={}", removed);
      }
    }), 1, 60, TimeUnit.SECONDS);
  }

  private static void guarded(String what, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.warn("{} failed; will retry", what, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** How long and how much telemetry the log keeps. */
  record RetentionPolicy(Duration maxAge, long maxBytes) {
    static RetentionPolicy defaults() {
      return new RetentionPolicy(Duration.ofDays(7), 1L << 30);
    }
  }
}
