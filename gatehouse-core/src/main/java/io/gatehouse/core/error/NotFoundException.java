package io.gatehouse.core.error;

/** The named thing does not exist. */
public final class NotFoundException extends GatehouseException {
  public NotFoundException(String message) {
    super(message);
  }
}
