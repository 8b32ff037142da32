package io.gatehouse.core.x509;

/**
 * PEM text, a private key or a certificate chain that cannot be used. The message names where the
 * material came from (a file, a setting) and says what to do, because an operator reads it.
 */
public final class KeyMaterialException extends IllegalArgumentException {
  public KeyMaterialException(String message) {
    super(message);
  }

  public KeyMaterialException(String message, Throwable cause) {
    super(message, cause);
  }
}
