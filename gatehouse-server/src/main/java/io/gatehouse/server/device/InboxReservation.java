package io.gatehouse.server.device;

import io.gatehouse.core.message.InboxMessage;

/**
 * Room a live session keeps for one message of its own device's inbox, taken before a service's
 * send is stored, so the message can be locked for the session in the transaction that stores it
 * and published at once, instead of the session being woken to pull it in a transaction of its own
 * (see {@link io.gatehouse.store.DirectLock}). Normally exactly one of the two methods is called;
 * both may be (a sender interrupted while its message still commits), and an implementation gives
 * the room back only once.
 */
public interface InboxReservation {
  /**
   * The message is committed: locked for this session (it delivers it) or, when an older message
   * was still deliverable, waiting (the session pulls). Called on the store's writer thread in
   * commit order; must not block.
   */
  void committed(InboxMessage stored);

  /** The send failed: the room is given back. Any thread; must not block. */
  void cancel();
}
