package io.gatehouse.edge.local.coap;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Decides which failed handshakes are reported to the sink, so a flood of them cannot flood it: per
 * window, one report per (claimed identity, source IP, reason) and at most {@code maxPerWindow}
 * reports in all; the rest are only counted. Memory stays bounded: only reported keys are kept, and
 * they are forgotten when the window rolls over. Thread-safe (Scandium's threads call it directly,
 * so a flood costs no queued work).
 */
final class RefusalThrottle {
  /** What {@link #admit} decided, with the refusals suppressed in the window that just ended. */
  record Decision(boolean report, long suppressedBefore) {}

  private record Key(String identity, InetAddress source, String reason) {}

  private final long windowNanos;
  private final int maxPerWindow;
  private final LongSupplier nanoTime;
  private final Set<Key> reported = new HashSet<>();
  private long windowStart;
  private long suppressed;

  RefusalThrottle(Duration window, int maxPerWindow, LongSupplier nanoTime) {
    this.windowNanos = window.toNanos();
    this.maxPerWindow = maxPerWindow;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  synchronized Decision admit(String identity, InetAddress source, String reason) {
    long now = nanoTime.getAsLong();
    long suppressedBefore = 0;
    if (now - windowStart >= windowNanos) {
      windowStart = now;
      reported.clear();
      suppressedBefore = suppressed;
      suppressed = 0;
    }
    if (reported.size() < maxPerWindow && reported.add(new Key(identity, source, reason))) {
      return new Decision(true, suppressedBefore);
    }
    suppressed++;
    return new Decision(false, suppressedBefore);
  }
}
