package io.gatehouse.edge.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One append-only segment file, named by the sequence of its first record
 * ({@code 00000000000000000001.seg}) and starting with a 16-byte header:
 * magic {@code GHFB}, format version (uint16), reserved (uint16), first sequence (int64).
 *
 * <p>Only the writer thread appends; any thread may read, since reads name their position.
 */
final class SegmentFile implements AutoCloseable {
  static final int MAGIC = 0x47484642;
  static final short VERSION = 1;
  static final int HEADER_BYTES = 16;
  private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

  private final Path path;
  private final long firstSequence;
  private final FileChannel channel;
  // Written by the writer thread only; read elsewhere for stats and recovery.
  private volatile long size;

  private SegmentFile(Path path, long firstSequence, FileChannel channel, long size) {
    this.path = path;
    this.firstSequence = firstSequence;
    this.channel = channel;
    this.size = size;
  }

  static String fileName(long firstSequence) {
    return String.format("%020d.seg", firstSequence);
  }

  /** The first sequence a segment file's name stands for, or empty for any other file. */
  static Optional<Long> firstSequenceOf(Path file) {
    Matcher matcher = NAME.matcher(file.getFileName().toString());
    return matcher.matches() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
  }

  /** Creates the file with its header written (not yet forced: the first append's force covers it). */
  static SegmentFile create(Path directory, long firstSequence) throws IOException {
    Path path = directory.resolve(fileName(firstSequence));
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES)
          .putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(firstSequence).flip();
      writeFully(channel, header, 0);
    } catch (IOException e) {
      channel.close();
      Files.deleteIfExists(path);
      throw e;
    }
    return new SegmentFile(path, firstSequence, channel, HEADER_BYTES);
  }

  static SegmentFile openExisting(Path path, long firstSequence) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new SegmentFile(path, firstSequence, channel, channel.size());
  }

  /** Whether the file starts with a header of this format naming its own first sequence. */
  boolean hasValidHeader() throws IOException {
    if (size < HEADER_BYTES) {
      return false;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    readFully(header, 0);
    header.flip();
    return header.getInt() == MAGIC && header.getShort() == VERSION && header.getShort() == 0
        && header.getLong() == firstSequence;
  }

  /** Appends at the end; returns the offset the first buffer landed at. */
  long append(ByteBuffer... buffers) throws IOException {
    long offset = size;
    long position = offset;
    for (ByteBuffer buffer : buffers) {
      position += writeFully(channel, buffer, position);
    }
    size = position;
    return offset;
  }

  void force() throws IOException {
    channel.force(false);
  }

  /** Cuts the file back to {@code newSize} and makes the cut durable. */
  void truncate(long newSize) throws IOException {
    channel.truncate(newSize);
    channel.force(true);
    size = newSize;
  }

  ByteBuffer read(long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    readFully(buffer, offset);
    return buffer.flip();
  }

  /** A view for sequential scanning; closing it would close the segment, so callers leave it open. */
  FileChannel channel() {
    return channel;
  }

  Path path() {
    return path;
  }

  long firstSequence() {
    return firstSequence;
  }

  long size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  void closeAndDelete() throws IOException {
    channel.close();
    Files.deleteIfExists(path);
  }

  private void readFully(ByteBuffer buffer, long offset) throws IOException {
    long position = offset;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position);
      if (read < 0) {
        throw new IOException(path + " ends at " + position + ", before the record the index points to");
      }
      position += read;
    }
  }

  private static int writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    int written = 0;
    while (buffer.hasRemaining()) {
      written += channel.write(buffer, position + written);
    }
    return written;
  }
}
