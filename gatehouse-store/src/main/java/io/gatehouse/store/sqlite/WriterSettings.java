package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.LimitExceededException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SqliteWriter} queues and batches.
 *
 * @param queueCapacity tasks waiting at most; beyond it submitters wait {@code submitTimeout},
 *     then get a {@link LimitExceededException}
 * @param maxBatchSize tasks committed together at most
 */
public record WriterSettings(String threadName, int queueCapacity, int maxBatchSize, Duration submitTimeout) {
  public WriterSettings {
    Objects.requireNonNull(threadName, "threadName");
    Objects.requireNonNull(submitTimeout, "submitTimeout");
    if (queueCapacity < 1 || maxBatchSize < 1 || submitTimeout.isNegative()) {
      throw new IllegalArgumentException("queueCapacity and maxBatchSize must be positive, submitTimeout not negative");
    }
  }

  public static WriterSettings defaults() {
    return new WriterSettings("gatehouse-sqlite-writer", 10_000, 512, Duration.ofMillis(200));
  }
}
