package io.gatehouse.device.client;

/** The gateway refused the device's connection or did not answer; the message names the device and the address. */
public final class DeviceClientException extends RuntimeException {
  DeviceClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
