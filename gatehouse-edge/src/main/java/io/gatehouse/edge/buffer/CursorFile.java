package io.gatehouse.edge.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted position: every sequence up to it is acknowledged or dropped, so a restarted
 * buffer never sends those again. Written whole to a temporary file, forced, then renamed over the
 * old one, so a crash leaves either the old or the new position, never a mix.
 *
 * <p>Format (20 bytes): magic {@code GHFC}, version (uint16), reserved (uint16), position (int64),
 * CRC32C of the first 16 bytes.
 */
final class CursorFile {
  static final String FILE_NAME = "cursor";
  private static final String TEMP_NAME = "cursor.tmp";
  private static final int MAGIC = 0x47484643;
  private static final short VERSION = 1;
  private static final int BYTES = 20;
  private static final Logger LOG = LoggerFactory.getLogger(CursorFile.class);

  private final Path directory;
  private long written = -1;

  CursorFile(Path directory) {
    this.directory = directory;
  }

  /**
   * The stored position; 0 if none was ever written. An unreadable file also gives 0: the price
   * is sending acknowledged messages again, never losing unacknowledged ones.
   */
  synchronized long read() throws IOException {
    Files.deleteIfExists(directory.resolve(TEMP_NAME));
    Path path = directory.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return 0;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (bytes.length != BYTES || buffer.getInt(0) != MAGIC || buffer.getShort(4) != VERSION
        || RecordCodec.crc(bytes, 0, 16) != buffer.getInt(16) || buffer.getLong(8) < 0) {
      LOG.warn("forward buffer cursor unreadable, starting from the oldest stored message file={} bytes={}", path,
          bytes.length);
      return 0;
    }
    written = buffer.getLong(8);
    return written;
  }

  /** Durably stores {@code position}, unless an equal or later one is stored already. */
  synchronized void write(long position) throws IOException {
    if (position <= written) {
      return;
    }
    ByteBuffer buffer = ByteBuffer.allocate(BYTES).putInt(MAGIC).putShort(VERSION).putShort((short) 0)
        .putLong(position);
    buffer.putInt(RecordCodec.crc(buffer.array(), 0, 16)).flip();
    Path temp = directory.resolve(TEMP_NAME);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, directory.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Directories.force(directory);
    written = position;
  }
}
