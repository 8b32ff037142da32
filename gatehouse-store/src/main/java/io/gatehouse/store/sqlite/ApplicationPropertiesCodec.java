package io.gatehouse.store.sqlite;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Application properties as one compact BLOB rather than a child table: telemetry appends must stay
 * one INSERT per message, and nothing queries by property. Insertion order is kept, so a message
 * reads back exactly as it was sent.
 *
 * <p>Format: for each property, a varint byte length and the UTF-8 name, then a varint that is 0
 * for a {@code null} value (a bare name on the wire) or the value's byte length plus one, followed
 * by the UTF-8 value. No properties are stored as SQL {@code NULL}.
 */
final class ApplicationPropertiesCodec {
  private ApplicationPropertiesCodec() {}

  /** {@code null} for no properties, so the common case costs one byte of row header. */
  static byte[] encode(Map<String, String> properties) {
    if (properties == null || properties.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    for (Map.Entry<String, String> property : properties.entrySet()) {
      byte[] name = property.getKey().getBytes(StandardCharsets.UTF_8);
      writeVarint(out, name.length);
      out.writeBytes(name);
      if (property.getValue() == null) {
        writeVarint(out, 0);
      } else {
        byte[] value = property.getValue().getBytes(StandardCharsets.UTF_8);
        writeVarint(out, value.length + 1L);
        out.writeBytes(value);
      }
    }
    return out.toByteArray();
  }

  /** @throws StoreFailureException if the bytes are not this format: the row is damaged */
  static Map<String, String> decode(byte[] encoded) {
    if (encoded == null || encoded.length == 0) {
      return Map.of();
    }
    Map<String, String> properties = new LinkedHashMap<>();
    int[] position = {0};
    while (position[0] < encoded.length) {
      String name = readString(encoded, position, readVarint(encoded, position));
      long valueLength = readVarint(encoded, position);
      String value = valueLength == 0 ? null : readString(encoded, position, valueLength - 1);
      properties.put(name, value);
    }
    return Collections.unmodifiableMap(properties);
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long rest = value;
    while (rest >= 0x80) {
      out.write((int) (rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    out.write((int) rest);
  }

  private static long readVarint(byte[] in, int[] position) {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (position[0] >= in.length) {
        throw corrupt("a length runs past the end");
      }
      int b = in[position[0]++] & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw corrupt("a length is too long");
  }

  private static String readString(byte[] in, int[] position, long length) {
    if (length > in.length - position[0]) {
      throw corrupt("a name or value runs past the end");
    }
    String s = new String(in, position[0], (int) length, StandardCharsets.UTF_8);
    position[0] += (int) length;
    return s;
  }

  private static StoreFailureException corrupt(String detail) {
    return new StoreFailureException("stored application properties are damaged: " + detail);
  }
}
