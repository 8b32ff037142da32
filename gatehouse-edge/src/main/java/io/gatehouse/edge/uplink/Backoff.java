package io.gatehouse.edge.uplink;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential with full jitter (a random delay between zero and the capped
 * exponential bound), so that a fleet of edges cut off together does not reconnect in lock step
 * when the service gateway comes back. One per uplink; its reconnect path and its credential retries
 * take turns with it (never at once), on different threads, hence the locks.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;
  private int attempts;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The delay before the next attempt; each call doubles the bound until {@code max}. */
  public synchronized Duration next() {
    long bound = bound(attempts);
    if (attempts < 62) {
      attempts++;
    }
    return Duration.ofMillis(random.nextLong(bound + 1));
  }

  /** After a successful connection: the next failure starts again from {@code initial}. */
  public synchronized void reset() {
    attempts = 0;
  }

  /** The upper bound of the delay after {@code failures} failures, in milliseconds. */
  long bound(int failures) {
    long initialMillis = initial.toMillis();
    long maxMillis = max.toMillis();
    if (failures >= 62 || initialMillis > (maxMillis >> Math.min(failures, 62))) {
      return maxMillis;
    }
    return Math.min(maxMillis, initialMillis << failures);
  }
}
