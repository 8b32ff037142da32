package io.gatehouse.server.provisioning;

/**
 * A provisioning request refused, answered in Azure DPS's error shape. {@code errorCode} is the
 * HTTP status times 1000 plus a detail number (see {@link DpsErrorCode}); the message says what
 * was wrong and what to do, and is also the audit line's reason.
 */
public final class DpsException extends RuntimeException {
  private final DpsErrorCode code;

  public DpsException(DpsErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public DpsErrorCode code() {
    return code;
  }

  public int status() {
    return code.status();
  }
}
