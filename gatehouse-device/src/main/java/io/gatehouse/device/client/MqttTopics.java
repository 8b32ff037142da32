package io.gatehouse.device.client;

import io.gatehouse.core.sas.PercentCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The topics of Azure IoT Hub's MQTT device protocol (azure-iot-facts §2) that the device client uses. */
final class MqttTopics {
  private static final String DEVICE_BOUND = "/messages/devicebound/";

  private MqttTopics() {}

  /** {@code devices/{id}/messages/events/{bag}}, the properties percent-encoded. */
  static String telemetry(String deviceId, Map<String, String> properties) {
    StringBuilder topic = new StringBuilder("devices/").append(deviceId).append("/messages/events/");
    String separator = "";
    for (Map.Entry<String, String> p : properties.entrySet()) {
      topic.append(separator).append(PercentCodec.encode(p.getKey())).append('=')
          .append(PercentCodec.encode(p.getValue()));
      separator = "&";
    }
    return topic.toString();
  }

  static String inboxFilter(String deviceId) {
    return "devices/" + deviceId + DEVICE_BOUND + "#";
  }

  /** The property bag after {@code devicebound/}, percent-decoded; {@code %24.mid} becomes {@code $.mid}. */
  static Map<String, String> properties(String topic) {
    int at = topic.indexOf(DEVICE_BOUND);
    Map<String, String> properties = new LinkedHashMap<>();
    if (at < 0) {
      return properties;
    }
    String bag = topic.substring(at + DEVICE_BOUND.length());
    for (String pair : bag.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = PercentCodec.decode(eq < 0 ? pair : pair.substring(0, eq));
      properties.put(key, eq < 0 ? "" : PercentCodec.decode(pair.substring(eq + 1)));
    }
    return properties;
  }
}
