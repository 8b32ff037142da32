package io.gatehouse.core.error;

/** A bounded resource (queue, buffer, quota) is full; retrying later may succeed. */
public final class LimitExceededException extends GatehouseException {
  public LimitExceededException(String message) {
    super(message);
  }
}
