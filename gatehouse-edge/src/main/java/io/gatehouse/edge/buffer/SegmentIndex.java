package io.gatehouse.edge.buffer;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Where each record of one segment lies and which are still waiting, in primitive arrays (a
 * buffer holds millions of small records). Records of a segment have consecutive sequences from
 * the file's first one. Not thread-safe: {@link BufferState} guards it.
 */
final class SegmentIndex {
  private final SegmentFile file;
  private long[] offsets = new long[16];
  private int[] lengths = new int[16];
  private long[] createdAtMillis = new long[16];
  private int count;
  private final BitSet removed = new BitSet();
  private int liveCount;
  private long liveBytes;

  SegmentIndex(SegmentFile file) {
    this.file = file;
  }

  SegmentFile file() {
    return file;
  }

  void add(long offset, int length, long createdAt) {
    if (count == offsets.length) {
      int capacity = count * 2;
      offsets = Arrays.copyOf(offsets, capacity);
      lengths = Arrays.copyOf(lengths, capacity);
      createdAtMillis = Arrays.copyOf(createdAtMillis, capacity);
    }
    offsets[count] = offset;
    lengths[count] = length;
    createdAtMillis[count] = createdAt;
    count++;
    liveCount++;
    liveBytes += length;
  }

  int count() {
    return count;
  }

  long firstSequence() {
    return file.firstSequence();
  }

  /** The last record's sequence; one below the first if the segment holds none. */
  long lastSequence() {
    return file.firstSequence() + count - 1;
  }

  long sequence(int index) {
    return file.firstSequence() + index;
  }

  /** The index of {@code sequence} clamped to [0, count]. */
  int indexAtOrAfter(long sequence) {
    return (int) Math.max(0, Math.min(count, sequence - file.firstSequence()));
  }

  long offset(int index) {
    return offsets[index];
  }

  int length(int index) {
    return lengths[index];
  }

  long createdAtMillis(int index) {
    return createdAtMillis[index];
  }

  /** The first live index at or after {@code from}; {@link #count()} if none. */
  int nextLive(int from) {
    return Math.min(removed.nextClearBit(from), count);
  }

  /** Removes a live record; returns its frame length. */
  int remove(int index) {
    removed.set(index);
    liveCount--;
    liveBytes -= lengths[index];
    return lengths[index];
  }

  int liveCount() {
    return liveCount;
  }

  long liveBytes() {
    return liveBytes;
  }
}
