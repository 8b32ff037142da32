package io.gatehouse.core.identity;

import io.gatehouse.core.error.InvalidInputException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A device or field gateway in the registry. {@code parentId} names the field gateway a leaf sits
 * behind. {@code etag} changes on every write and guards concurrent updates.
 */
public record Device(
    String id,
    IdentityKind kind,
    IdentityStatus status,
    String statusReason,
    Authentication authentication,
    String parentId,
    Map<String, String> tags,
    String etag,
    Instant createdAt,
    Instant updatedAt,
    Instant lastActivityAt,
    Provisioning provisioning) {

  /** A device that did not come through the provisioning service. */
  public Device(String id, IdentityKind kind, IdentityStatus status, String statusReason, Authentication authentication,
      String parentId, Map<String, String> tags, String etag, Instant createdAt, Instant updatedAt,
      Instant lastActivityAt) {
    this(id, kind, status, statusReason, authentication, parentId, tags, etag, createdAt, updatedAt, lastActivityAt,
        null);
  }

  public Device {
    IdentityIds.requireValid("device id", id);
    Objects.requireNonNull(kind, "kind");
    if (kind == IdentityKind.SERVICE) {
      throw new InvalidInputException("kind must be device or edge; service identities live under /services");
    }
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(authentication, "authentication");
    if (parentId != null) {
      IdentityIds.requireValid("parent id", parentId);
      if (parentId.equals(id)) {
        throw new InvalidInputException("a device cannot be its own parent");
      }
    }
    tags = Tags.copyValid(tags);
  }

  public boolean isEnabled() {
    return status == IdentityStatus.ENABLED;
  }

  public Optional<String> parent() {
    return Optional.ofNullable(parentId);
  }

  public Device withStatus(IdentityStatus newStatus, String reason) {
    return new Device(id, kind, newStatus, reason, authentication, parentId, tags, etag, createdAt,
        updatedAt, lastActivityAt, provisioning);
  }

  public Device withAuthentication(Authentication newAuthentication) {
    return new Device(id, kind, status, statusReason, newAuthentication, parentId, tags, etag, createdAt,
        updatedAt, lastActivityAt, provisioning);
  }

  public Optional<Provisioning> provisioned() {
    return Optional.ofNullable(provisioning);
  }

  /** The copy the store writes: new etag and update time, creation time kept. */
  public Device stamped(String newEtag, Instant created, Instant updated) {
    return new Device(id, kind, status, statusReason, authentication, parentId, tags, newEtag, created,
        updated, lastActivityAt, provisioning);
  }
}
