package io.gatehouse.bench.client;

/** The MQTT protocol version the simulated devices speak. Azure IoT device SDKs use 3.1.1. */
public enum MqttVersion {
  V3("3.1.1"),
  V5("5");

  private final String label;

  MqttVersion(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static MqttVersion parse(String text) {
    return switch (text.trim()) {
      case "3", "3.1.1", "311" -> V3;
      case "5", "5.0" -> V5;
      default -> throw new IllegalArgumentException("MQTT version must be 3 (3.1.1) or 5, got " + text);
    };
  }
}
