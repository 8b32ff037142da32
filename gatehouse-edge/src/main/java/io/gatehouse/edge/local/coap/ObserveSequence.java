package io.gatehouse.edge.local.coap;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Observe option values for {@code /commands}, increasing across all notifications (24 bits, wrapping
 * as RFC 7641 allows), so a leaf never drops a command as an older, reordered notification. Set
 * explicitly because commands are sent directly, not through Californium's {@code changed()}.
 */
final class ObserveSequence {
  private static final int MASK = 0xFF_FFFF;

  private final AtomicInteger last = new AtomicInteger(1);

  int next() {
    return last.incrementAndGet() & MASK;
  }
}
