package io.gatehouse.edge.local.mqtt;

/** User events passed along a connection's pipeline; see also {@link CommandSubscription}. */
enum LeafEvent {
  /** CONNACK was sent: the leaf is authenticated. */
  SESSION_ESTABLISHED
}
