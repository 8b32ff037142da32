package io.gatehouse.server.device;

/**
 * A device was refused. {@link #reason()} picks the protocol answer (MQTT CONNACK code, HTTP
 * status); the message is the precise reason, for the audit log. Devices are told less than the
 * audit log: the transport decides what to reveal.
 */
public final class DeviceAuthException extends Exception {
  public enum Reason {
    /** The credential cannot be parsed or does not fit the claimed identity. */
    MALFORMED,
    /** Unknown device, wrong key, expired token, bad certificate. */
    BAD_CREDENTIALS,
    /** The identity is known and proven, but disabled or quarantined. */
    NOT_AUTHORIZED
  }

  private final Reason reason;

  public DeviceAuthException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
