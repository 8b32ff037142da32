package io.gatehouse.edge.local.mqtt;

/** A leaf's current connection, as the registry knows it. */
record ConnectedLeaf(String leafId, LeafConnection connection, LeafOutbox outbox) {}
