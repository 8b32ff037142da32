package io.gatehouse.server.mqtt;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a connection's inbox pulls and its direct deliveries ({@link io.gatehouse.server.device.InboxReservation})
 * apart, so messages still reach the device in sequence order: no room is reserved while a pull is
 * under way, and no pull starts while reserved room is outstanding (the reservation's end starts the
 * pull that was held back). Room is reserved only while the window has it: deliveries awaiting PUBACK
 * plus outstanding reservations stay within the limit.
 *
 * <p>Reservations come from any thread (the sender's); everything else is called on the
 * connection's event loop, which publishes the window's use and whether direct delivery is open.
 */
final class InboxPullGate {
  private static final int PULLING = -1;

  private volatile int limit;
  /** {@link #PULLING}, or how many reservations are outstanding. */
  private final AtomicInteger state = new AtomicInteger();
  private volatile int inFlight;
  private volatile boolean open;

  /** Event loop: true if a pull may start now (then {@link #pullDone()} must follow). */
  boolean tryStartPull() {
    return state.compareAndSet(0, PULLING);
  }

  void pullDone() {
    state.compareAndSet(PULLING, 0);
  }

  /** Any thread: takes room for one direct delivery, if open and the window has it. */
  boolean tryReserve() {
    if (!open) {
      return false;
    }
    while (true) {
      int current = state.get();
      if (current == PULLING || inFlight + current >= limit) {
        return false;
      }
      if (state.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** A reservation ended (its message arrived, or its send failed). */
  void release() {
    state.updateAndGet(current -> current > 0 ? current - 1 : current);
  }

  /** Event loop: deliveries awaiting PUBACK now. */
  void inFlight(int deliveries) {
    inFlight = deliveries;
  }

  /**
   * Event loop: whether a sender may deliver directly (own inbox subscribed, not paused, connection
   * usable), and the window: deliveries awaiting PUBACK allowed at once.
   */
  void open(boolean directAllowed, int window) {
    limit = window;
    open = directAllowed;
  }
}
