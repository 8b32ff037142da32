package io.gatehouse.device.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Bounded exponential backoff between reconnection attempts: the step is {@code min · 2^attempt}, at
 * most {@code max}, and each delay is drawn at random from the upper half of its step (the first
 * between {@code min/2} and {@code min}), so that a fleet that lost its gateway at the same moment
 * does not come back in lock step.
 */
public record Backoff(Duration min, Duration max) {
  public Backoff {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < min <= max, got min=" + min + " max=" + max);
    }
  }

  /** @param attempt 0 for the first retry */
  Duration delay(int attempt, RandomGenerator random) {
    long ceiling = max.toMillis();
    long upper = min.toMillis();
    for (int i = 0; i < attempt && upper < ceiling; i++) {
      upper *= 2;
    }
    upper = Math.min(upper, ceiling);
    long lower = upper / 2;
    return Duration.ofMillis(lower >= upper ? upper : random.nextLong(lower, upper + 1));
  }
}
