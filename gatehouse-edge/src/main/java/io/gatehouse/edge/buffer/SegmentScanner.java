package io.gatehouse.edge.buffer;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;

/**
 * Reads a segment from the start and indexes every record up to the first one that is not
 * exactly what the writer wrote (short, implausible length, bad checksum, wrong sequence). It never
 * trusts a length before checking it, and never changes the file: what to do with the damage is
 * the caller's decision.
 */
final class SegmentScanner {
  private static final int READ_BUFFER_BYTES = 64 * 1024;

  /**
   * @param validEnd where the last intact record ends; everything after it is damaged
   * @param damage why scanning stopped early, or {@code null} if the whole file is intact
   */
  record ScanResult(SegmentIndex index, long validEnd, String damage) {
    boolean damaged() {
      return damage != null;
    }
  }

  ScanResult scan(SegmentFile file) throws IOException {
    SegmentIndex index = new SegmentIndex(file);
    if (!file.hasValidHeader()) {
      return new ScanResult(index, 0, "missing or invalid segment header");
    }
    long size = file.size();
    long position = SegmentFile.HEADER_BYTES;
    file.channel().position(position);
    // Not closed: closing the stream would close the segment's channel.
    DataInputStream in = new DataInputStream(
        new BufferedInputStream(Channels.newInputStream(file.channel()), READ_BUFFER_BYTES));
    byte[] record = new byte[4096];
    while (position < size) {
      long remaining = size - position;
      if (remaining < RecordCodec.PREFIX_BYTES) {
        return new ScanResult(index, position, "a record prefix cut short at offset " + position);
      }
      int length = in.readInt();
      int storedCrc = in.readInt();
      if (!RecordCodec.plausibleLength(length)) {
        return new ScanResult(index, position, "implausible record length " + length + " at offset " + position);
      }
      if (remaining - RecordCodec.PREFIX_BYTES < length) {
        return new ScanResult(index, position, "the record at offset " + position + " runs past the end of the file");
      }
      if (record.length < length) {
        record = new byte[Math.max(length, Math.min(record.length * 2, RecordCodec.MAX_LENGTH))];
      }
      in.readFully(record, 0, length);
      if (RecordCodec.crc(record, 0, length) != storedCrc) {
        return new ScanResult(index, position, "checksum mismatch in the record at offset " + position);
      }
      ByteBuffer fields = ByteBuffer.wrap(record, 0, length);
      long sequence = fields.getLong(0);
      long expected = index.sequence(index.count());
      if (sequence != expected) {
        return new ScanResult(index, position,
            "the record at offset " + position + " holds sequence " + sequence + ", expected " + expected);
      }
      int frameLength = RecordCodec.PREFIX_BYTES + length;
      index.add(position, frameLength, fields.getLong(8));
      position += frameLength;
    }
    return new ScanResult(index, position, null);
  }
}
