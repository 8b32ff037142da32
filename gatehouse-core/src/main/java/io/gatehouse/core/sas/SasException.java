package io.gatehouse.core.sas;

/** A SAS token was refused; {@link #reason()} is for counters and codes, the message for people. */
public final class SasException extends Exception {
  public enum Reason {
    MALFORMED,
    EXPIRED,
    TOO_FAR_IN_FUTURE,
    WRONG_AUDIENCE,
    UNKNOWN_KEY_NAME,
    BAD_SIGNATURE
  }

  private final Reason reason;

  public SasException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
