package io.gatehouse.core.identity;

import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.authz.Permission;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A back-end application or operator. It authenticates with a service SAS token whose {@code skn}
 * is its name, and may do exactly what its grants say: there is no implicit permission.
 */
public record ServiceIdentity(
    String name,
    IdentityStatus status,
    Authentication.SymmetricKeys keys,
    List<Grant> grants,
    String etag,
    Instant createdAt,
    Instant updatedAt) {

  public ServiceIdentity {
    IdentityIds.requireValid("service name", name);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(keys, "keys");
    grants = Grant.copyValid(grants);
  }

  public boolean isEnabled() {
    return status == IdentityStatus.ENABLED;
  }

  public boolean holds(Permission permission) {
    return grants.stream().anyMatch(g -> g.permission() == permission);
  }

  public ServiceIdentity withStatus(IdentityStatus newStatus) {
    return new ServiceIdentity(name, newStatus, keys, grants, etag, createdAt, updatedAt);
  }

  public ServiceIdentity withKeys(Authentication.SymmetricKeys newKeys) {
    return new ServiceIdentity(name, status, newKeys, grants, etag, createdAt, updatedAt);
  }

  public ServiceIdentity stamped(String newEtag, Instant created, Instant updated) {
    return new ServiceIdentity(name, status, keys, grants, newEtag, created, updated);
  }
}
