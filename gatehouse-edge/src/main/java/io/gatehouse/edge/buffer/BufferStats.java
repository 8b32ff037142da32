package io.gatehouse.edge.buffer;

import java.time.Instant;

/**
 * A snapshot of the buffer. Counters run from when it was opened.
 *
 * @param depthMessages messages waiting for the uplink (expired ones included until {@link
 *     ForwardBuffer#expire()} drops them)
 * @param depthBytes their record bytes, the figure held under {@link BufferLimits#maxBytes()}
 * @param oldestSequence the first waiting message's sequence; 0 when none waits
 * @param oldestCreatedAt that message's creation time; {@code null} when none waits
 * @param lastSequence the highest sequence stored durably so far (0 if none ever was)
 * @param droppedForSpace oldest messages dropped to make room for new ones
 * @param droppedForAge messages dropped because they were older than {@link BufferLimits#maxAge()}
 * @param droppedCorrupt records lost to damage found on disk: inside an older segment at open, or on
 *     read. A damaged tail of the newest segment is logged with the bytes cut instead: it is what
 *     an interrupted write leaves, and how many records it held is unknown
 * @param lastDroppedSequence highest sequence dropped for space or age; 0 if none: the uplink can
 *     report the gap upstream
 * @param syncs how many times appended data was forced to disk; far below {@code appended} under
 *     load, since one force covers every append queued at that moment
 * @param segments segment files in use
 * @param queued appends waiting for the writer
 */
public record BufferStats(long depthMessages, long depthBytes, long oldestSequence, Instant oldestCreatedAt,
    long lastSequence, long appended, long acknowledged, long droppedForSpace, long droppedForAge,
    long droppedCorrupt, long lastDroppedSequence, long syncs, int segments, int queued) {

  public boolean isEmpty() {
    return depthMessages == 0;
  }
}
