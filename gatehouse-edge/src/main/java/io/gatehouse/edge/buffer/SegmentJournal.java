package io.gatehouse.edge.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer thread's half of the buffer: gives each queued message its sequence, appends the
 * frames to the newest segment (starting a new one past the segment size), forces the files once
 * per batch, and only then publishes the records and completes the callers' futures.
 *
 * <p>Used by the writer thread only, apart from {@link #syncs()}.
 */
final class SegmentJournal implements AppendWriter.BatchCommitter {
  private final Path directory;
  private final RecordCodec codec;
  private final BufferState state;
  private final long segmentBytes;
  private final long maxBytes;
  private final AtomicLong syncs = new AtomicLong();
  private long nextSequence;
  // Null until the first append after opening: each run starts a segment of its own, so recovered
  // segments are never appended to.
  private SegmentFile active;

  SegmentJournal(Path directory, RecordCodec codec, BufferState state, BufferLimits limits, long nextSequence) {
    this.directory = directory;
    this.codec = codec;
    this.state = state;
    this.segmentBytes = limits.segmentBytes();
    this.maxBytes = limits.maxBytes();
    this.nextSequence = nextSequence;
  }

  long syncs() {
    return syncs.get();
  }

  @Override
  public void commit(List<PendingAppend> batch) {
    int from = 0;
    while (from < batch.size()) {
      // A batch larger than the whole buffer would make room by dropping its own first records.
      int to = from;
      long bytes = 0;
      while (to < batch.size() && (to == from || bytes + batch.get(to).message().frameLength() <= maxBytes)) {
        bytes += batch.get(to).message().frameLength();
        to++;
      }
      commitChunk(batch.subList(from, to), bytes);
      from = to;
    }
  }

  private void commitChunk(List<PendingAppend> chunk, long bytes) {
    state.makeRoom(bytes);
    long firstSequence = nextSequence;
    SegmentFile before = active;
    long sizeBefore = before == null ? 0 : before.size();
    List<SegmentFile> created = new ArrayList<>();
    List<WrittenRecord> written = new ArrayList<>(chunk.size());
    try {
      for (PendingAppend pending : chunk) {
        EncodedMessage message = pending.message();
        if (active == null || (active.size() > SegmentFile.HEADER_BYTES
            && active.size() + message.frameLength() > segmentBytes)) {
          active = SegmentFile.create(directory, nextSequence);
          created.add(active);
        }
        long offset = active.append(codec.frameHeader(nextSequence, message), ByteBuffer.wrap(message.body()));
        written.add(new WrittenRecord(active, nextSequence, offset, message.frameLength(),
            message.createdAtMillis()));
        nextSequence++;
      }
      forceTouched(written);
      if (!created.isEmpty()) {
        Directories.force(directory);
      }
    } catch (IOException e) {
      undo(before, sizeBefore, created, firstSequence);
      BufferFailureException failure = new BufferFailureException("writing " + chunk.size()
          + " messages to the forward buffer in " + directory + " failed (" + e.getMessage()
          + "); they were not stored", e);
      chunk.forEach(pending -> pending.future().completeExceptionally(failure));
      return;
    }
    state.publish(written);
    for (int i = 0; i < chunk.size(); i++) {
      chunk.get(i).future().complete(written.get(i).sequence());
    }
  }

  /** One force per file written in this chunk: usually one, two when the chunk crossed into a new segment. */
  private void forceTouched(List<WrittenRecord> written) throws IOException {
    SegmentFile last = null;
    for (WrittenRecord record : written) {
      if (record.file() != last) {
        last = record.file();
        last.force();
        syncs.incrementAndGet();
      }
    }
  }

  /**
   * Takes a failed chunk back off the disk so its sequences can be reused. If that fails too, the
   * sequences are skipped and the next chunk starts a fresh segment, so no sequence is ever on
   * disk twice.
   */
  private void undo(SegmentFile before, long sizeBefore, List<SegmentFile> created, long firstSequence) {
    boolean clean = true;
    for (SegmentFile file : created) {
      try {
        file.closeAndDelete();
      } catch (IOException e) {
        clean = false;
      }
    }
    if (before != null) {
      try {
        before.truncate(sizeBefore);
      } catch (IOException e) {
        clean = false;
      }
    }
    active = clean ? before : null;
    if (clean) {
      nextSequence = firstSequence;
    }
  }
}
