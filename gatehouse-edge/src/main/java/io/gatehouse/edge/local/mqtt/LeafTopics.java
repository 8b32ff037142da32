package io.gatehouse.edge.local.mqtt;

/** The only topics a leaf may use: its own telemetry topic and its own command topic. */
final class LeafTopics {
  private LeafTopics() {}

  /** Leaf → edge, PUBLISH at QoS 0 or 1. */
  static String telemetry(String leafId) {
    return "leaves/" + leafId + "/telemetry";
  }

  /** Edge → leaf, SUBSCRIBE at QoS 0 or 1; commands are sent at QoS 1. */
  static String commands(String leafId) {
    return "leaves/" + leafId + "/commands";
  }
}
