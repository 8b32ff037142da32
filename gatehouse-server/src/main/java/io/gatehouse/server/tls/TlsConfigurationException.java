package io.gatehouse.server.tls;

/**
 * TLS material cannot be created, read or used. The message names the file and says what to do,
 * because it is shown to the operator at start-up.
 */
public final class TlsConfigurationException extends RuntimeException {
  public TlsConfigurationException(String message) {
    super(message);
  }

  public TlsConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
