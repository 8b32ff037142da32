package io.gatehouse.edge.buffer;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the buffer keeps. Beyond either bound it drops the oldest messages (see
 * {@link ForwardBuffer}), because in the field the newest readings are the ones worth sending.
 *
 * @param maxBytes most record bytes held for the uplink (framing included, segment headers and
 *     already-sent records awaiting segment deletion not)
 * @param maxAge messages created longer ago than this are no longer sent
 * @param segmentBytes size at which a new segment file is started; disk space comes back one whole
 *     segment at a time
 */
public record BufferLimits(long maxBytes, Duration maxAge, long segmentBytes) {
  public BufferLimits {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
    }
    if (segmentBytes < 1) {
      throw new IllegalArgumentException("segmentBytes must be positive, was " + segmentBytes);
    }
  }

  /** 256 MiB, 7 days, 16 MiB segments. */
  public static BufferLimits defaults() {
    return new BufferLimits(256L << 20, Duration.ofDays(7), 16L << 20);
  }
}
