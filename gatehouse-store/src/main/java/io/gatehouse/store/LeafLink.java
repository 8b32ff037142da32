package io.gatehouse.store;

import io.gatehouse.core.identity.IdentityStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A leaf device's tie to its field gateway, and what the gateway needs to decide whether the edge
 * may speak for it: the leaf's status, and when that was last written (so that of two reports of
 * the same leaf the later one wins).
 */
public record LeafLink(String leafId, String parentId, IdentityStatus status, Instant updatedAt) {
  public LeafLink {
    Objects.requireNonNull(leafId, "leafId");
    Objects.requireNonNull(parentId, "parentId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
