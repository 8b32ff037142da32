package io.gatehouse.device.provisioning;

/**
 * The provisioning service refused a registration, or could not be reached. When it answered, the
 * HTTP status and DPS's {@code errorCode} and {@code message} are kept (they never hold a secret:
 * a DPS error body carries none); {@code status} is 0 when there was no answer.
 */
public final class ProvisioningException extends RuntimeException {
  private final int status;
  private final long errorCode;
  private final String serviceMessage;

  ProvisioningException(int status, long errorCode, String serviceMessage, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.serviceMessage = serviceMessage;
  }

  ProvisioningException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.errorCode = 0;
    this.serviceMessage = null;
  }

  /** The HTTP status of the refusal, or 0 if the service did not answer. */
  public int status() {
    return status;
  }

  /** DPS's six-digit error code (e.g. 401002), or 0 if the answer carried none. */
  public long errorCode() {
    return errorCode;
  }

  /** The service's own message, or {@code null}. */
  public String serviceMessage() {
    return serviceMessage;
  }
}
