package io.gatehouse.server.mqtt;

/** Why the endpoint refused something a client sent; each reason has its own counter. */
public enum MqttRefusal {
  /** No CONNECT (or no answer to it) within the connect timeout after the TLS handshake. */
  CONNECT_TIMEOUT,
  /** A protocol level other than MQTT 3.1.1 or 5, or not MQTT at all. */
  UNSUPPORTED_PROTOCOL,
  /** A packet the protocol does not allow here: before CONNECT, a second CONNECT, QoS 2 flows, AUTH. */
  PROTOCOL_ERROR,
  /** A packet that does not decode, or carries ill-formed UTF-8. */
  MALFORMED_PACKET,
  /** A packet over the maximum packet size, refused from its fixed header. */
  PACKET_TOO_LARGE,
  /** CONNECT refused before authentication: client id, user name, missing credential, will. */
  CONNECT_INVALID,
  /** CONNECT refused by the authenticator (bad credential, unknown or disabled device). */
  AUTHENTICATION_FAILED,
  /**
   * PUBLISH to another device's topic: a device other than itself, or an edge for a device that is
   * not its enabled child.
   */
  FOREIGN_TOPIC,
  /** PUBLISH to a topic the endpoint does not serve. */
  UNSERVED_TOPIC,
  /** PUBLISH by a device that is not a field gateway to a topic only edges use (posture reports). */
  EDGE_ONLY_TOPIC,
  /** PUBLISH whose payload is not what its topic requires (an edge's posture report: a JSON object ≤ 16 KiB). */
  MALFORMED_PAYLOAD,
  /** PUBLISH whose properties or size the telemetry log does not accept. */
  INVALID_MESSAGE,
  /** PUBLISH at QoS 2. */
  QOS_NOT_SUPPORTED,
  /** MQTT 5 PUBLISH with RETAIN, after the server announced Retain Available 0. */
  RETAIN_NOT_SUPPORTED,
  /** MQTT 5 client exceeded the Receive Maximum it was given, or used a topic alias. */
  FLOW_CONTROL_VIOLATION,
  /** SUBSCRIBE to a filter a device may not use. */
  SUBSCRIPTION_DENIED,
  /** No packet within 1.5 times the keep-alive. */
  KEEP_ALIVE_TIMEOUT;

  /** An authorization decision (audited as {@code denied}) rather than a client's mistake ({@code failure}). */
  boolean isDenial() {
    return this == FOREIGN_TOPIC || this == EDGE_ONLY_TOPIC || this == SUBSCRIPTION_DENIED;
  }
}
