package io.gatehouse.device.tpm.transport;

/** The TPM could not be reached, did not answer in time, or answered with bytes that are not a TPM response. */
public final class TpmTransportException extends RuntimeException {
  public TpmTransportException(String message) {
    super(message);
  }

  public TpmTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
