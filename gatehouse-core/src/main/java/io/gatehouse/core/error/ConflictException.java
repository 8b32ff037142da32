package io.gatehouse.core.error;

/** The request conflicts with the current state (e.g. deleting a field gateway that still has children). */
public final class ConflictException extends GatehouseException {
  public ConflictException(String message) {
    super(message);
  }
}
