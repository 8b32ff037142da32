package io.gatehouse.edge.buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment indexes, oldest first, with running totals of what waits in them. Not thread-safe:
 * {@link BufferState} guards it.
 *
 * <p>Segment files are deleted as soon as none of their records wait, except the newest, which
 * the writer may still be appending to and which keeps the highest sequence on disk across a
 * restart.
 */
final class Segments implements Iterable<SegmentIndex> {
  private static final Logger LOG = LoggerFactory.getLogger(Segments.class);

  private final List<SegmentIndex> segments;
  private long liveCount;
  private long liveBytes;

  Segments(List<SegmentIndex> recovered) {
    this.segments = new ArrayList<>(recovered);
    for (SegmentIndex segment : segments) {
      liveCount += segment.liveCount();
      liveBytes += segment.liveBytes();
    }
  }

  /** Indexes a durable record; a file not seen before becomes the newest segment. */
  void add(WrittenRecord record) {
    if (segments.isEmpty() || segments.getLast().file() != record.file()) {
      segments.add(new SegmentIndex(record.file()));
    }
    SegmentIndex segment = segments.getLast();
    if (record.sequence() != segment.sequence(segment.count())) {
      throw new IllegalStateException("record " + record.sequence() + " does not follow "
          + segment.lastSequence() + " in " + record.file().path());
    }
    segment.add(record.offset(), record.length(), record.createdAtMillis());
    liveCount++;
    liveBytes += record.length();
  }

  void remove(SegmentIndex segment, int index) {
    liveBytes -= segment.remove(index);
    liveCount--;
  }

  /** The segment holding the oldest waiting record, or {@code null} if none waits. */
  SegmentIndex oldestLive() {
    if (liveCount == 0) {
      return null;
    }
    for (SegmentIndex segment : segments) {
      if (segment.liveCount() > 0) {
        return segment;
      }
    }
    throw new IllegalStateException("no segment holds a waiting record although " + liveCount + " wait");
  }

  long liveCount() {
    return liveCount;
  }

  long liveBytes() {
    return liveBytes;
  }

  int size() {
    return segments.size();
  }

  @Override
  public Iterator<SegmentIndex> iterator() {
    return segments.iterator();
  }

  void deleteConsumed() {
    Iterator<SegmentIndex> iterator = segments.iterator();
    while (iterator.hasNext()) {
      SegmentIndex segment = iterator.next();
      if (segment.liveCount() == 0 && segment != segments.getLast()) {
        iterator.remove();
        try {
          segment.file().closeAndDelete();
        } catch (IOException e) {
          LOG.warn("forward buffer could not delete a consumed segment segment={} error=\"{}\"",
              segment.file().path(), e.getMessage());
        }
      }
    }
  }

  void closeAll() {
    for (SegmentIndex segment : segments) {
      try {
        segment.file().close();
      } catch (IOException e) {
        LOG.warn("forward buffer could not close a segment segment={} error=\"{}\"", segment.file().path(),
            e.getMessage());
      }
    }
  }
}
