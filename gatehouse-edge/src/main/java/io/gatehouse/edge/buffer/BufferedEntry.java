package io.gatehouse.edge.buffer;

import java.util.Objects;

/** A buffered message with the sequence the buffer gave it: the uplink acknowledges by sequence. */
public record BufferedEntry(long sequence, BufferedMessage message) {
  public BufferedEntry {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be positive, was " + sequence);
    }
    Objects.requireNonNull(message, "message");
  }
}
