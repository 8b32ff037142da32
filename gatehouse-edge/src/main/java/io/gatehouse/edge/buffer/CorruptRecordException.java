package io.gatehouse.edge.buffer;

/** A record on disk is not what the buffer wrote: checked, so every reader decides what damage means. */
final class CorruptRecordException extends Exception {
  CorruptRecordException(String message) {
    super(message);
  }
}
