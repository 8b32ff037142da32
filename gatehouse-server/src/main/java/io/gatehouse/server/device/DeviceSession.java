package io.gatehouse.server.device;

import java.util.Optional;

/** A live connection of a device (an MQTT session); the registry can end it. */
public interface DeviceSession {
  String deviceId();

  /**
   * Ends the session from outside (takeover, revocation, token expiry). Must not block and may be
   * called from any thread; idempotent.
   */
  void terminate(TerminationReason reason);

  /**
   * A message arrived in the inbox of {@code deviceId}: this session's own device, or one of its
   * leaves if the session is a field gateway's. A session subscribed to that inbox should pull it.
   * Must not block.
   */
  default void inboxChanged(String deviceId) {}

  /**
   * Room for one message of this session's own device's inbox to be delivered as soon as it is
   * stored, if the session is subscribed to that inbox and its window has room; empty otherwise
   * (the message is then stored waiting and {@link #inboxChanged} wakes the session). Must not block.
   */
  default Optional<InboxReservation> reserveInboxDelivery() {
    return Optional.empty();
  }

  enum TerminationReason {
    /** A new connection with the same client id took over. */
    SESSION_TAKEN_OVER,
    /** The identity was disabled, quarantined or deleted. */
    REVOKED,
    /** The credential the session was opened with expired. */
    CREDENTIAL_EXPIRED,
    /** The gateway is shutting down. */
    SERVER_SHUTTING_DOWN
  }
}
