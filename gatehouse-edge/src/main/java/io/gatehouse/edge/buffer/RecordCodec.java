package io.gatehouse.edge.buffer;

import io.gatehouse.core.error.InvalidInputException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The record format, big-endian:
 *
 * <pre>
 * frame   = length:int32  crc:int32  sequence:int64  createdAtMillis:int64  body
 *           (length counts the bytes after crc; crc is CRC32C over those bytes)
 * body    = deviceIdLength:uint16 deviceId:utf8
 *           propertyCount:uint16 (keyLength:uint16 key:utf8 valueLength:int32 value:utf8)*
 *           payloadLength:int32 payload
 * </pre>
 *
 * Stateless and thread-safe.
 */
final class RecordCodec {
  /** The largest frame, so a damaged length field can never make a reader allocate much. */
  static final int MAX_RECORD_BYTES = 1 << 20;
  static final int PREFIX_BYTES = 8;
  static final int FRAME_HEADER_BYTES = PREFIX_BYTES + 16;
  static final int MIN_BODY_BYTES = 2 + 1 + 2 + 4;
  static final int MIN_LENGTH = FRAME_HEADER_BYTES - PREFIX_BYTES + MIN_BODY_BYTES;
  static final int MAX_LENGTH = MAX_RECORD_BYTES - PREFIX_BYTES;
  private static final int MAX_UINT16 = 0xFFFF;

  /**
   * @throws InvalidInputException when the record would exceed {@link #MAX_RECORD_BYTES} or a
   *     string is not valid Unicode
   */
  EncodedMessage encode(BufferedMessage message) {
    int payload = message.payloadSize();
    // The payload alone is checked first, so an oversized one is refused before any copying.
    long size = FRAME_HEADER_BYTES + 2L + 2 + 4 + payload;
    requireWithinLimit(size, message);
    byte[] deviceId = utf8(message.deviceId(), "deviceId", MAX_UINT16);
    size += deviceId.length;
    requireWithinLimit(size, message);
    if (message.properties().size() > MAX_UINT16) {
      throw new InvalidInputException("the message from device " + message.deviceId() + " has "
          + message.properties().size() + " properties, more than the " + MAX_UINT16 + " one record can hold");
    }
    List<byte[]> properties = new ArrayList<>(message.properties().size() * 2);
    for (Map.Entry<String, String> property : message.properties().entrySet()) {
      byte[] key = utf8(property.getKey(), "property name", MAX_UINT16);
      byte[] value = utf8(property.getValue(), "value of property '" + property.getKey() + "'", Integer.MAX_VALUE);
      properties.add(key);
      properties.add(value);
      size += 2 + key.length + 4 + value.length;
      requireWithinLimit(size, message);
    }
    ByteBuffer body = ByteBuffer.allocate((int) size - FRAME_HEADER_BYTES);
    body.putShort((short) deviceId.length).put(deviceId);
    body.putShort((short) message.properties().size());
    for (int i = 0; i < properties.size(); i += 2) {
      body.putShort((short) properties.get(i).length).put(properties.get(i));
      body.putInt(properties.get(i + 1).length).put(properties.get(i + 1));
    }
    body.putInt(payload).put(message.payloadBuffer());
    return new EncodedMessage(body.array(), message.createdAt().toEpochMilli());
  }

  /** The 24 bytes that precede {@code message.body()} on disk. */
  ByteBuffer frameHeader(long sequence, EncodedMessage message) {
    ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER_BYTES);
    header.putInt(message.frameLength() - PREFIX_BYTES).putInt(0)
        .putLong(sequence).putLong(message.createdAtMillis());
    CRC32C crc = new CRC32C();
    crc.update(header.array(), PREFIX_BYTES, FRAME_HEADER_BYTES - PREFIX_BYTES);
    crc.update(message.body());
    header.putInt(4, (int) crc.getValue());
    return header.flip();
  }

  /** Whether a frame length field can be real; checked before anything is read past it. */
  static boolean plausibleLength(int length) {
    return length >= MIN_LENGTH && length <= MAX_LENGTH;
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** Decodes one whole frame, verifying length, checksum and sequence. */
  BufferedEntry decode(ByteBuffer frame, long expectedSequence) throws CorruptRecordException {
    try {
      int length = frame.getInt();
      int storedCrc = frame.getInt();
      if (!plausibleLength(length) || length != frame.remaining()) {
        throw new CorruptRecordException("record length " + length + " does not match its frame");
      }
      if (crc(frame.array(), frame.arrayOffset() + frame.position(), length) != storedCrc) {
        throw new CorruptRecordException("record checksum mismatch");
      }
      long sequence = frame.getLong();
      if (sequence != expectedSequence) {
        throw new CorruptRecordException("record holds sequence " + sequence + ", expected " + expectedSequence);
      }
      Instant createdAt = Instant.ofEpochMilli(frame.getLong());
      String deviceId = string(frame, Short.toUnsignedInt(frame.getShort()));
      int count = Short.toUnsignedInt(frame.getShort());
      Map<String, String> properties = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String key = string(frame, Short.toUnsignedInt(frame.getShort()));
        properties.put(key, string(frame, frame.getInt()));
      }
      byte[] payload = new byte[checkedLength(frame, frame.getInt())];
      frame.get(payload);
      if (frame.hasRemaining()) {
        throw new CorruptRecordException(frame.remaining() + " unexpected bytes after the payload");
      }
      return new BufferedEntry(sequence, new BufferedMessage(deviceId, properties, payload, createdAt));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new CorruptRecordException("record body is malformed: " + e);
    }
  }

  private static String string(ByteBuffer frame, int length) throws CorruptRecordException {
    byte[] bytes = new byte[checkedLength(frame, length)];
    frame.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int checkedLength(ByteBuffer frame, int length) throws CorruptRecordException {
    if (length < 0 || length > frame.remaining()) {
      throw new CorruptRecordException("field length " + length + " runs past the record");
    }
    return length;
  }

  private static void requireWithinLimit(long size, BufferedMessage message) {
    if (size > MAX_RECORD_BYTES) {
      throw new InvalidInputException("the message from device " + message.deviceId() + " needs more than "
          + MAX_RECORD_BYTES + " bytes as a buffered record (payload " + message.payloadSize()
          + " bytes); split it into smaller messages or shrink its properties");
    }
  }

  /** UTF-8 that decodes back to the same string: unpaired surrogates would silently become '?'. */
  private static byte[] utf8(String value, String what, int maxBytes) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidInputException(what + " contains an unpaired UTF-16 surrogate at index " + i
            + "; only valid Unicode text can be buffered");
      }
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > maxBytes) {
      throw new InvalidInputException(what + " is " + bytes.length + " bytes in UTF-8, more than the " + maxBytes
          + " allowed");
    }
    return bytes;
  }
}
