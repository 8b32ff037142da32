package io.gatehouse.core.error;

/** An optimistic-concurrency check failed: the caller's etag is stale. */
public final class PreconditionFailedException extends GatehouseException {
  public PreconditionFailedException(String message) {
    super(message);
  }
}
