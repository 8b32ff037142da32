package io.gatehouse.device.client;

/**
 * The gateway refused the device or did not answer; the message names the device and the address,
 * and never contains a token. Over HTTPS, {@link #status()} is the HTTP status and
 * {@link #detail()} the {@code detail} of the gateway's problem+json answer.
 */
public final class DeviceClientException extends RuntimeException {
  private final int status;
  private final String detail;

  DeviceClientException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.detail = null;
  }

  DeviceClientException(String message, int status, String detail) {
    super(message);
    this.status = status;
    this.detail = detail;
  }

  /** The HTTP status of an HTTPS refusal; 0 when there was no HTTP answer (MQTT, network, timeout). */
  public int status() {
    return status;
  }

  /** The gateway's explanation ({@code detail} of problem+json), or {@code null}. */
  public String detail() {
    return detail;
  }
}
