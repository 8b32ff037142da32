package io.gatehouse.core.error;

/** A create was asked for something that exists already. */
public final class AlreadyExistsException extends GatehouseException {
  public AlreadyExistsException(String message) {
    super(message);
  }
}
