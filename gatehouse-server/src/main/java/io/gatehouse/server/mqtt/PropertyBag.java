package io.gatehouse.server.mqtt;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.sas.PercentCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Message properties as Azure IoT Hub carries them in MQTT topics: {@code key=value} pairs joined
 * by {@code &}, percent-encoded, system properties under {@code $.}-keys.
 */
final class PropertyBag {
  /** Application property added to retained publishes, as Azure IoT Hub does. */
  static final String RETAIN_PROPERTY = "mqtt-retain";

  /** System keys other than the five {@link MessageProperties} fields, under Azure's routing names. */
  private static final Map<String, String> OTHER_SYSTEM_KEYS = Map.of(
      "ctime", "iothub-creation-time-utc",
      "ifid", "iothub-interface-id",
      "sub", "dt-subject");

  private PropertyBag() {}

  /**
   * Parses a device-to-cloud bag. System keys arrive as {@code $.mid} (Java SDK) or {@code %24.mid}
   * (C SDK); values and application keys are percent-decoded, but {@code +} stays a plus (clients
   * encode a space as {@code %20}). Text that is not valid percent-encoding is kept as sent, since
   * some clients do not encode at all. A bare key has a {@code null} value. Keys that claim a
   * destination or a connection identity ({@code $.to}, {@code $.cdid}, {@code $.cmid},
   * {@code iothub-connection-*}) are dropped.
   *
   * @throws InvalidInputException if the properties break the message model's limits
   */
  static MessageProperties parseDeviceToCloud(String bag, boolean retained) {
    String messageId = null;
    String correlationId = null;
    String userId = null;
    String contentType = null;
    String contentEncoding = null;
    Map<String, String> application = new LinkedHashMap<>();
    for (String pair : bag.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? null : decode(pair.substring(eq + 1));
      if (key.isEmpty()) {
        continue;
      }
      if (key.startsWith("$.")) {
        String name = key.substring(2);
        switch (name) {
          case "mid" -> messageId = value;
          case "cid" -> correlationId = value;
          case "uid" -> userId = value;
          case "ct" -> contentType = value;
          case "ce" -> contentEncoding = value;
          // Where a message goes, and which connection sent it, is the hub's to say, not the device's
          // (the Java SDK sends $.cdid); the authenticated sender is stored with every message.
          case "to", "cdid", "cmid" -> { }
          default -> application.put(OTHER_SYSTEM_KEYS.getOrDefault(name, key), value);
        }
      } else if (!key.startsWith("iothub-connection-")) {
        application.put(key, value);
      }
    }
    if (retained) {
      application.put(RETAIN_PROPERTY, "true");
    }
    return new MessageProperties(messageId, correlationId, userId, contentType, contentEncoding, application);
  }

  /**
   * Encodes a cloud-to-device message's bag the way Azure IoT Hub does and the SDKs expect: system
   * properties first as {@code %24.}-keys, {@code %24.to} always present (the Java SDK parses the bag
   * from the first {@code %24} and drops what precedes it), then the application properties.
   * Everything is percent-encoded with space as {@code %20} and plus as {@code %2B}, because the
   * Java SDK form-decodes. A {@code null} value is written as a bare key.
   */
  static String encodeCloudToDevice(InboxMessage message) {
    MessageProperties p = message.properties();
    StringJoiner bag = new StringJoiner("&");
    add(bag, "%24.mid", p.messageId());
    add(bag, "%24.to", "/devices/" + message.deviceId() + "/messages/deviceBound");
    add(bag, "%24.cid", p.correlationId());
    add(bag, "%24.uid", p.userId());
    add(bag, "%24.ct", p.contentType());
    add(bag, "%24.ce", p.contentEncoding());
    if (message.ack() != AckMode.NONE) {
      add(bag, "iothub-ack", message.ack().wireName());
    }
    for (Map.Entry<String, String> property : p.application().entrySet()) {
      String key = PercentCodec.encode(property.getKey());
      bag.add(property.getValue() == null ? key : key + "=" + PercentCodec.encode(property.getValue()));
    }
    return bag.toString();
  }

  private static void add(StringJoiner bag, String encodedKey, String value) {
    if (value != null) {
      bag.add(encodedKey + "=" + PercentCodec.encode(value));
    }
  }

  private static String decode(String text) {
    try {
      return PercentCodec.decode(text);
    } catch (InvalidInputException e) {
      return text;
    }
  }
}
