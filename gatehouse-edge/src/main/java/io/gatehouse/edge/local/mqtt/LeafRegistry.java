package io.gatehouse.edge.local.mqtt;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The connected leaves, one connection per leaf id. Thread-safe. */
final class LeafRegistry {
  private final ConcurrentMap<String, ConnectedLeaf> leaves = new ConcurrentHashMap<>();

  /** Registers the leaf's new connection; returns the one it replaces (to be taken over), if any. */
  Optional<ConnectedLeaf> register(ConnectedLeaf leaf) {
    return Optional.ofNullable(leaves.put(leaf.leafId(), leaf));
  }

  /** Removes the entry if it is still the leaf's current one; false if it was taken over. */
  boolean unregister(ConnectedLeaf leaf) {
    return leaves.remove(leaf.leafId(), leaf);
  }

  Optional<ConnectedLeaf> find(String leafId) {
    return Optional.ofNullable(leaves.get(leafId));
  }

  int size() {
    return leaves.size();
  }
}
