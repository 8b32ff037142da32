package io.gatehouse.edge.buffer;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A leaf-device message waiting for the uplink. Immutable: the properties and payload are copied
 * in and the payload is copied out again.
 *
 * @param properties application properties, kept in the caller's order
 * @param createdAt when the message was created; kept to the millisecond, which is what the buffer
 *     stores, so a message read back equals the one appended
 */
public record BufferedMessage(String deviceId, Map<String, String> properties, byte[] payload, Instant createdAt) {

  public BufferedMessage {
    if (deviceId == null || deviceId.isBlank()) {
      throw new IllegalArgumentException("deviceId is " + (deviceId == null ? "null" : "blank")
          + "; every buffered message must name the device it came from");
    }
    Objects.requireNonNull(properties, "properties is null; pass Map.of() for a message without properties");
    Objects.requireNonNull(payload, "payload is null; pass an empty array for a message without a body");
    Objects.requireNonNull(createdAt, "createdAt is null; pass the time the device produced the message");
    properties = copyOf(properties);
    payload = payload.clone();
    createdAt = toMillis(createdAt);
  }

  /** A copy: callers may change it without changing the message. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload without a copy, read-only: for sending it on. */
  public ByteBuffer payloadBuffer() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  public int payloadSize() {
    return payload.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BufferedMessage that
        && deviceId.equals(that.deviceId)
        && properties.equals(that.properties)
        && Arrays.equals(payload, that.payload)
        && createdAt.equals(that.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceId, properties, Arrays.hashCode(payload), createdAt);
  }

  // The payload can be sensitive and large, so only its size reaches logs.
  @Override
  public String toString() {
    return "BufferedMessage[deviceId=" + deviceId + ", properties=" + properties.keySet() + ", payloadBytes="
        + payload.length + ", createdAt=" + createdAt + "]";
  }

  private static Map<String, String> copyOf(Map<String, String> properties) {
    Map<String, String> copy = new LinkedHashMap<>();
    properties.forEach((key, value) -> {
      if (key == null || value == null) {
        throw new IllegalArgumentException("property " + (key == null ? "with a null name" : "'" + key + "' has a null value")
            + "; buffered messages carry only non-null string properties");
      }
      copy.put(key, value);
    });
    return Collections.unmodifiableMap(copy);
  }

  private static Instant toMillis(Instant createdAt) {
    try {
      createdAt.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("createdAt " + createdAt + " is outside the range the buffer can store");
    }
    return createdAt.truncatedTo(ChronoUnit.MILLIS);
  }
}
