package io.gatehouse.edge.buffer;

/**
 * The disk under the buffer failed (I/O error, disk full, a record damaged after it was written):
 * nothing the caller did wrong. Messages name the file and operation, never message contents.
 */
public final class BufferFailureException extends RuntimeException {
  public BufferFailureException(String message, Throwable cause) {
    super(message, cause);
  }

  public BufferFailureException(String message) {
    super(message);
  }
}
