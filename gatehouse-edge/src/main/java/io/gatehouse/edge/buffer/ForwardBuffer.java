package io.gatehouse.edge.buffer;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.LimitExceededException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The field gateway's store-and-forward buffer: leaf-device messages wait here, on local disk,
 * until the uplink has delivered them upstream.
 *
 * <p>Life of a message: {@link #append} completes with its sequence once the message is forced to
 * disk (group commit: one fsync for everything queued at that moment); the uplink sends what
 * {@link #peek} returns, in sequence order, and calls {@link #acknowledge} when upstream has it;
 * the acknowledged position is persisted, so a restart never sends those messages again.
 *
 * <p>Bounds, and the drop policy (drop-oldest): past {@link BufferLimits#maxBytes()} an append
 * drops the oldest waiting messages (expired ones first); messages older than
 * {@link BufferLimits#maxAge()} are never returned by peek and are dropped by {@link #expire()},
 * which the owner calls periodically. Both are counted in {@link #stats()}. After a crash, messages
 * dropped for space since the last acknowledge may be sent once more: duplicates, never loss of an
 * acknowledged append.
 *
 * <p>Thread-safe: append from any thread; peek and acknowledge are meant for the one uplink thread.
 */
public final class ForwardBuffer implements AutoCloseable {
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  /** The largest record, framing included; see {@link #append}. */
  public static final int MAX_RECORD_BYTES = RecordCodec.MAX_RECORD_BYTES;
  private static final int MAX_BATCH = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ForwardBuffer.class);

  private final Path directory;
  private final BufferLimits limits;
  private final RecordCodec codec;
  private final BufferState state;
  private final SegmentJournal journal;
  private final AppendWriter writer;
  private final CursorKeeper cursor;
  private final DirectoryLock directoryLock;
  private boolean closed;

  private ForwardBuffer(Path directory, BufferLimits limits, RecordCodec codec, BufferState state,
      SegmentJournal journal, AppendWriter writer, CursorKeeper cursor, DirectoryLock directoryLock) {
    this.directory = directory;
    this.limits = limits;
    this.codec = codec;
    this.state = state;
    this.journal = journal;
    this.writer = writer;
    this.cursor = cursor;
    this.directoryLock = directoryLock;
  }

  /** Opens with a queue of {@link #DEFAULT_QUEUE_CAPACITY} appends. */
  public static ForwardBuffer open(Path directory, BufferLimits limits, Clock clock) {
    return open(directory, limits, clock, DEFAULT_QUEUE_CAPACITY);
  }

  /**
   * Opens the buffer in {@code directory} (created if missing), recovering what an earlier run
   * left: a damaged tail of the newest segment is cut off and logged, damage inside an older one
   * skips the rest of that segment (counted as {@code droppedCorrupt}). Sequences continue after
   * the highest one found on disk.
   *
   * @param queueCapacity appends that may wait for the disk before further ones fail
   * @throws IllegalStateException if another buffer has the directory open
   * @throws BufferFailureException if the directory cannot be read or written
   */
  public static ForwardBuffer open(Path directory, BufferLimits limits, Clock clock, int queueCapacity) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    DirectoryLock directoryLock = null;
    try {
      Files.createDirectories(directory);
      directoryLock = DirectoryLock.acquire(directory);
      CursorFile cursorFile = new CursorFile(directory);
      long position = cursorFile.read();
      BufferRecovery.Recovered recovered = new BufferRecovery(new SegmentScanner()).recover(directory, position);
      RecordCodec codec = new RecordCodec();
      BufferState state = new BufferState(recovered, codec, clock, limits);
      SegmentJournal journal = new SegmentJournal(directory, codec, state, limits, recovered.lastSequence() + 1);
      AppendWriter writer;
      try {
        writer = new AppendWriter(journal, queueCapacity, MAX_BATCH, "gatehouse-edge-buffer-writer");
      } catch (RuntimeException e) {
        state.close();
        throw e;
      }
      writer.start();
      CursorKeeper cursor = new CursorKeeper(cursorFile, position, "gatehouse-edge-cursor-" + directory.getFileName());
      cursor.start();
      LOG.info("forward buffer opened directory={} waiting={} lastSequence={} droppedCorrupt={}", directory,
          recovered.segments().stream().mapToLong(SegmentIndex::liveCount).sum(), recovered.lastSequence(),
          recovered.corruptRecords());
      return new ForwardBuffer(directory, limits, codec, state, journal, writer, cursor, directoryLock);
    } catch (IOException | RuntimeException e) {
      closeQuietly(directoryLock);
      if (e instanceof IOException io) {
        throw new BufferFailureException("cannot open the forward buffer in " + directory + ": " + io.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Stores a message. The future completes with the message's sequence once it is on disk, or
   * fails with {@link LimitExceededException} at once when the write queue is full, with
   * {@link InvalidInputException} when the message exceeds {@link #MAX_RECORD_BYTES} or the
   * buffer's {@code maxBytes}, with {@link IllegalStateException} after close, and with
   * {@link BufferFailureException} if the disk write fails. Never blocks. The future completes on
   * the writer thread: callbacks attached to it must not block, or every append waits for them.
   */
  public CompletableFuture<Long> append(BufferedMessage message) {
    Objects.requireNonNull(message, "message is null; append a BufferedMessage");
    EncodedMessage encoded;
    try {
      encoded = codec.encode(message);
    } catch (InvalidInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (encoded.frameLength() > limits.maxBytes()) {
      return CompletableFuture.failedFuture(new InvalidInputException("the message from device " + message.deviceId()
          + " takes " + encoded.frameLength() + " bytes, more than the whole buffer holds (maxBytes="
          + limits.maxBytes() + "); raise maxBytes or send smaller messages"));
    }
    return writer.submit(encoded);
  }

  /**
   * Up to {@code max} waiting messages with a sequence above {@code afterSequence}, oldest first,
   * expired ones left out. Pass 0 to start from the oldest, then the last sequence sent.
   */
  public List<BufferedEntry> peek(long afterSequence, int max) {
    if (afterSequence < 0 || max < 1) {
      throw new IllegalArgumentException("peek needs afterSequence >= 0 and max >= 1, got " + afterSequence + " and "
          + max);
    }
    return state.peek(afterSequence, max);
  }

  /**
   * Upstream has everything up to and including {@code throughSequence}: those messages are
   * removed at once, and the position goes to disk shortly after, on a thread of its own (see
   * {@link #persistedPosition()}). A crash before it is there sends those messages again: at least
   * once, never lost. Repeating or going back is harmless.
   *
   * @throws IllegalArgumentException if {@code throughSequence} was never stored
   */
  public void acknowledge(long throughSequence) {
    cursor.request(state.acknowledge(throughSequence));
  }

  /** Every sequence up to this one is acknowledged or dropped, and that fact is on disk. */
  public long persistedPosition() {
    return cursor.persisted();
  }

  /** Drops waiting messages older than the maximum age; returns how many. */
  public long expire() {
    return state.expire();
  }

  public BufferStats stats() {
    return state.stats(journal.syncs(), writer.queued());
  }

  /**
   * Writes and forces every append already queued, stops the writer, persists the position and
   * closes the files. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    cursor.request(state.removedThrough());
    try {
      cursor.close();
    } catch (IOException e) {
      LOG.warn("forward buffer could not persist its position on close directory={} error=\"{}\"", directory,
          e.getMessage());
    }
    state.close();
    closeQuietly(directoryLock);
    LOG.info("forward buffer closed directory={}", directory);
  }

  private static void closeQuietly(DirectoryLock lock) {
    if (lock == null) {
      return;
    }
    try {
      lock.close();
    } catch (IOException e) {
      LOG.warn("forward buffer could not release its directory lock error=\"{}\"", e.getMessage());
    }
  }
}
