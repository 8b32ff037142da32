package io.gatehouse.server.mqtt;

/** User events between the handlers of one connection (inbox events: {@link InboxEvent}). */
enum MqttEvent {
  /** CONNACK accepted was sent: the connect deadline ends, keep-alive starts. */
  SESSION_ESTABLISHED,
  /** The server is closing: stop reading, finish acknowledging, then disconnect. */
  SHUTDOWN
}
