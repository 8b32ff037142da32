package io.gatehouse.edge.local;

/** Why a command could not be delivered to a leaf; the message says what to do about it. */
public final class LeafDeliveryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure, so that callers can decide whether to retry. */
  public enum Reason {
    /** The leaf has no connection to this adapter; retry after it connects. */
    NOT_CONNECTED,
    /** The leaf is connected but has not subscribed to its command topic. */
    NOT_SUBSCRIBED,
    /** Too many commands are already queued for the leaf; retry later. */
    QUEUE_FULL,
    /** The command is larger than the leaf accepts. */
    TOO_LARGE,
    /** The leaf answered with a negative acknowledgement (MQTT 5 reason code of 0x80 or more). */
    REFUSED_BY_LEAF,
    /** The leaf did not acknowledge in time; it may or may not have received the command. */
    NO_ACKNOWLEDGEMENT,
    /** The connection ended before the leaf acknowledged; it may or may not have received it. */
    CONNECTION_LOST,
    /** The adapter is closed or closing. */
    ADAPTER_CLOSED
  }

  private final String leafId;
  private final Reason reason;

  public LeafDeliveryException(String leafId, Reason reason, String message) {
    super("command to leaf " + leafId + " not delivered (" + reason + "): " + message);
    this.leafId = leafId;
    this.reason = reason;
  }

  public String leafId() {
    return leafId;
  }

  public Reason reason() {
    return reason;
  }
}
