package io.gatehouse.edge.local.modbus;

import java.time.Duration;

/**
 * When a silent device is tried again, counted in poll intervals: after the first failed attempt
 * the next comes one interval later, then 2, 4 and at most 8 intervals later, but never more than a
 * minute later unless one interval is longer. No jitter: devices are independent, unlike a fleet of
 * edges reconnecting to one service. Not thread-safe: used on its device's event loop.
 */
final class ReconnectBackoff {
  static final int MAX_INTERVALS = 8;
  static final Duration MAX_WAIT = Duration.ofMinutes(1);

  private final int maxIntervals;
  private int nextWait = 1;
  private int ticksToSkip;

  ReconnectBackoff(Duration interval) {
    long fitting = MAX_WAIT.toMillis() / Math.max(1, interval.toMillis());
    this.maxIntervals = (int) Math.max(1, Math.min(MAX_INTERVALS, fitting));
  }

  /** Called once per poll tick while the device is silent; true when this tick should try it. */
  boolean attemptDue() {
    if (ticksToSkip > 0) {
      ticksToSkip--;
      return false;
    }
    return true;
  }

  /** An attempt failed: wait longer before the next. */
  void failed() {
    ticksToSkip = nextWait - 1;
    nextWait = Math.min(nextWait * 2, maxIntervals);
  }

  /** The device answered: the next outage starts again from one interval. */
  void reset() {
    nextWait = 1;
    ticksToSkip = 0;
  }

  int maxIntervals() {
    return maxIntervals;
  }
}
