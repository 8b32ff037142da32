package io.gatehouse.edge.buffer;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What waits for the uplink, the drop policy, and the counters. Every method takes one lock: the
 * writer publishes and makes room, the uplink peeks and acknowledges, anyone reads stats, and each
 * of those is short (reads come from the page cache; the slow fsync happens in the writer, outside).
 *
 * <p>Drop policy: oldest first. Expired records go before any unexpired one is dropped for space.
 */
final class BufferState {
  private static final Logger LOG = LoggerFactory.getLogger(BufferState.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Segments segments;
  private final RecordCodec codec;
  private final Clock clock;
  private final long maxAgeMillis;
  private final long maxBytes;
  private long lastSequence;
  // A lower bound on the oldest createdAt waiting: expiry scans only when something may be expired.
  private long oldestCreatedBound = Long.MAX_VALUE;
  private long appended;
  private long acknowledged;
  private long droppedForSpace;
  private long droppedForAge;
  private long droppedCorrupt;
  private long lastDroppedSequence;
  private boolean closed;

  BufferState(BufferRecovery.Recovered recovered, RecordCodec codec, Clock clock, BufferLimits limits) {
    this.segments = new Segments(recovered.segments());
    this.codec = codec;
    this.clock = clock;
    this.maxAgeMillis = saturatedMillis(limits.maxAge());
    this.maxBytes = limits.maxBytes();
    this.lastSequence = recovered.lastSequence();
    this.droppedCorrupt = recovered.corruptRecords();
    for (SegmentIndex segment : segments) {
      for (int i = segment.nextLive(0); i < segment.count(); i = segment.nextLive(i + 1)) {
        oldestCreatedBound = Math.min(oldestCreatedBound, segment.createdAtMillis(i));
      }
    }
  }

  /** Called by the writer before it writes {@code bytes} more. */
  void makeRoom(long bytes) {
    lock.lock();
    try {
      if (segments.liveBytes() + bytes <= maxBytes) {
        return;
      }
      expireLocked();
      while (segments.liveBytes() + bytes > maxBytes && segments.liveCount() > 0) {
        SegmentIndex oldest = segments.oldestLive();
        int index = oldest.nextLive(0);
        segments.remove(oldest, index);
        droppedForSpace++;
        lastDroppedSequence = Math.max(lastDroppedSequence, oldest.sequence(index));
      }
      segments.deleteConsumed();
    } finally {
      lock.unlock();
    }
  }

  /** Makes records the writer has forced to disk visible to peek. */
  void publish(List<WrittenRecord> records) {
    lock.lock();
    try {
      for (WrittenRecord record : records) {
        if (record.sequence() <= lastSequence) {
          throw new IllegalStateException("writer published sequence " + record.sequence() + " after " + lastSequence);
        }
        segments.add(record);
        lastSequence = record.sequence();
        oldestCreatedBound = Math.min(oldestCreatedBound, record.createdAtMillis());
      }
      appended += records.size();
      segments.deleteConsumed();
    } finally {
      lock.unlock();
    }
  }

  /** Waiting, unexpired records after {@code afterSequence}, oldest first. */
  List<BufferedEntry> peek(long afterSequence, int max) {
    lock.lock();
    try {
      requireOpen();
      long cutoff = cutoffMillis();
      List<BufferedEntry> entries = new ArrayList<>(Math.min(max, 256));
      for (SegmentIndex segment : segments) {
        if (entries.size() == max) {
          break;
        }
        if (segment.lastSequence() <= afterSequence) {
          continue;
        }
        for (int i = segment.nextLive(segment.indexAtOrAfter(afterSequence + 1));
            i < segment.count() && entries.size() < max; i = segment.nextLive(i + 1)) {
          if (segment.createdAtMillis(i) >= cutoff) {
            read(segment, i, entries);
          }
        }
      }
      segments.deleteConsumed();
      return entries;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes every waiting record up to {@code throughSequence}; returns the position to persist.
   * Expired records among them were never sent (peek skipped them), so they count as dropped for age.
   */
  long acknowledge(long throughSequence) {
    lock.lock();
    try {
      requireOpen();
      if (throughSequence > lastSequence) {
        throw new IllegalArgumentException("cannot acknowledge through sequence " + throughSequence
            + ": the buffer has stored only up to " + lastSequence + "; acknowledge only sequences peek returned");
      }
      long cutoff = cutoffMillis();
      for (SegmentIndex segment : segments) {
        if (segment.firstSequence() > throughSequence) {
          break;
        }
        int end = segment.indexAtOrAfter(throughSequence + 1);
        for (int i = segment.nextLive(0); i < end; i = segment.nextLive(i + 1)) {
          if (segment.createdAtMillis(i) < cutoff) {
            droppedForAge++;
            lastDroppedSequence = Math.max(lastDroppedSequence, segment.sequence(i));
          } else {
            acknowledged++;
          }
          segments.remove(segment, i);
        }
      }
      segments.deleteConsumed();
      return removedThroughLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Drops every waiting record older than the maximum age; returns how many. */
  long expire() {
    lock.lock();
    try {
      requireOpen();
      long dropped = expireLocked();
      segments.deleteConsumed();
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /** The highest sequence such that it and every sequence below it no longer wait. */
  long removedThrough() {
    lock.lock();
    try {
      return removedThroughLocked();
    } finally {
      lock.unlock();
    }
  }

  BufferStats stats(long syncs, int queued) {
    lock.lock();
    try {
      SegmentIndex first = segments.oldestLive();
      int index = first == null ? 0 : first.nextLive(0);
      return new BufferStats(segments.liveCount(), segments.liveBytes(), first == null ? 0 : first.sequence(index),
          first == null ? null : Instant.ofEpochMilli(first.createdAtMillis(index)), lastSequence, appended,
          acknowledged, droppedForSpace, droppedForAge, droppedCorrupt, lastDroppedSequence, syncs,
          segments.size(), queued);
    } finally {
      lock.unlock();
    }
  }

  /** Closes every segment file; afterwards peek, acknowledge and expire fail. */
  void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        segments.closeAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private long expireLocked() {
    long cutoff = cutoffMillis();
    if (oldestCreatedBound >= cutoff) {
      return 0;
    }
    long dropped = 0;
    long oldestLeft = Long.MAX_VALUE;
    for (SegmentIndex segment : segments) {
      for (int i = segment.nextLive(0); i < segment.count(); i = segment.nextLive(i + 1)) {
        if (segment.createdAtMillis(i) < cutoff) {
          segments.remove(segment, i);
          dropped++;
          lastDroppedSequence = Math.max(lastDroppedSequence, segment.sequence(i));
        } else {
          oldestLeft = Math.min(oldestLeft, segment.createdAtMillis(i));
        }
      }
    }
    droppedForAge += dropped;
    oldestCreatedBound = oldestLeft;
    return dropped;
  }

  private long removedThroughLocked() {
    SegmentIndex first = segments.oldestLive();
    return first == null ? lastSequence : first.sequence(first.nextLive(0)) - 1;
  }

  private void read(SegmentIndex segment, int index, List<BufferedEntry> into) {
    long sequence = segment.sequence(index);
    try {
      into.add(codec.decode(segment.file().read(segment.offset(index), segment.length(index)), sequence));
    } catch (CorruptRecordException e) {
      // It passed its checksum when written or recovered, so the disk changed it since: skipping it
      // beats stalling the uplink on it forever.
      segments.remove(segment, index);
      droppedCorrupt++;
      LOG.error("forward buffer dropped a record damaged on disk segment={} sequence={} reason=\"{}\"",
          segment.file().path().getFileName(), sequence, e.getMessage());
    } catch (IOException e) {
      throw new BufferFailureException("reading sequence " + sequence + " from " + segment.file().path()
          + " failed: " + e.getMessage(), e);
    }
  }

  private long cutoffMillis() {
    try {
      return Math.subtractExact(clock.millis(), maxAgeMillis);
    } catch (ArithmeticException e) {
      return Long.MIN_VALUE;
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the forward buffer is closed; open it again to read or acknowledge");
    }
  }

  private static long saturatedMillis(Duration duration) {
    try {
      return duration.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
