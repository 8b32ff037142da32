package io.gatehouse.server.provisioning.tpm;

import io.gatehouse.core.error.InvalidInputException;
import java.util.Arrays;

/**
 * Reads big-endian TPM structures from bytes a client sent, with bounds checked before every read,
 * so a short or malformed structure fails with a message naming the field and never with an index
 * error.
 */
final class TpmReader {
  private final byte[] bytes;
  private final String subject;
  private final int end;
  private int position;

  TpmReader(byte[] bytes, String subject) {
    this(bytes, 0, bytes.length, subject);
  }

  private TpmReader(byte[] bytes, int start, int end, String subject) {
    this.bytes = bytes;
    this.position = start;
    this.end = end;
    this.subject = subject;
  }

  int u16(String field) {
    need(2, field);
    int value = ((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff);
    position += 2;
    return value;
  }

  int u32(String field) {
    need(4, field);
    int value = ((bytes[position] & 0xff) << 24) | ((bytes[position + 1] & 0xff) << 16)
        | ((bytes[position + 2] & 0xff) << 8) | (bytes[position + 3] & 0xff);
    position += 4;
    return value;
  }

  /** A size-prefixed TPM2B buffer of at most {@code max} bytes. */
  byte[] sized(String field, int max) {
    int size = u16(field + " size");
    if (size > max) {
      throw fail(field + " is " + size + " bytes; at most " + max + " are allowed");
    }
    need(size, field);
    byte[] value = Arrays.copyOfRange(bytes, position, position + size);
    position += size;
    return value;
  }

  /** A reader confined to the next TPM2B's content, which must be read to its end. */
  TpmReader sizedStructure(String field) {
    int size = u16(field + " size");
    if (size == 0) {
      throw fail(field + " is empty");
    }
    need(size, field);
    TpmReader inner = new TpmReader(bytes, position, position + size, subject);
    position += size;
    return inner;
  }

  int position() {
    return position;
  }

  byte[] slice(int from, int to) {
    return Arrays.copyOfRange(bytes, from, to);
  }

  void expectEnd(String structure) {
    if (position != end) {
      throw fail(structure + " has " + (end - position) + " unexpected bytes after its end");
    }
  }

  InvalidInputException fail(String detail) {
    return new InvalidInputException(subject + ": " + detail);
  }

  private void need(int count, String field) {
    if (end - position < count) {
      throw fail("ends while reading " + field + " (" + count + " bytes needed, " + (end - position) + " left)");
    }
  }
}
