package io.gatehouse.server.mqtt;

/**
 * User events about the inboxes a connection serves, each naming the device whose inbox it is:
 * the connection's own device, or (for a field gateway) one of its leaves.
 */
sealed interface InboxEvent {
  String deviceId();

  /** A devicebound filter was granted (or granted again): delivery of that inbox may start. */
  record Subscribed(String deviceId) implements InboxEvent {}

  /** The client unsubscribed from that inbox: no new deliveries of it. */
  record Unsubscribed(String deviceId) implements InboxEvent {}

  /** A message arrived in that inbox; only it needs pulling. */
  record Changed(String deviceId) implements InboxEvent {}
}
