package io.gatehouse.core.error;

/** The request itself is malformed: a bad id, body, header or value. */
public final class InvalidInputException extends GatehouseException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
