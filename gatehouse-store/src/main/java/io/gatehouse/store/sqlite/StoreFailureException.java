package io.gatehouse.store.sqlite;

/**
 * The database itself failed (I/O error, locked by another process, corrupt file): nothing the
 * caller did wrong, so it is not a {@link io.gatehouse.core.error.GatehouseException} and maps to
 * a server error. Messages name the operation, never a secret or a row's contents.
 */
public final class StoreFailureException extends RuntimeException {
  public StoreFailureException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreFailureException(String message) {
    super(message);
  }
}
