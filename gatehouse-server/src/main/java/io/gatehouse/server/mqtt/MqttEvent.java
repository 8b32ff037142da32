package io.gatehouse.server.mqtt;

/** User events between the handlers of one connection. */
enum MqttEvent {
  /** CONNACK accepted was sent: the connect deadline ends, keep-alive starts. */
  SESSION_ESTABLISHED,
  /** The device subscribed to its devicebound topic: inbox delivery may start. */
  INBOX_SUBSCRIBED,
  /** The device unsubscribed from its devicebound topic: no new deliveries. */
  INBOX_UNSUBSCRIBED,
  /** A message arrived in the device's inbox. */
  INBOX_CHANGED,
  /** The server is closing: stop reading, finish acknowledging, then disconnect. */
  SHUTDOWN
}
