package io.gatehouse.server.device;

/** An authenticated device tried something it may not do (publish as another device, foreign topic). */
public final class DeviceForbiddenException extends Exception {
  public DeviceForbiddenException(String message) {
    super(message, null, false, false);
  }
}
