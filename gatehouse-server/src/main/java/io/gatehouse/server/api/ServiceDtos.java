package io.gatehouse.server.api;

import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.server.registry.ServiceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** JSON shapes of the service-identity API. */
final class ServiceDtos {
  private ServiceDtos() {}

  record GrantBody(String permission, List<String> devices, Map<String, String> tags) {
    Grant toGrant() {
      if (permission == null) {
        throw new InvalidInputException("each entry of permissions needs a 'permission'");
      }
      return new Grant(Permission.fromWire(permission), devices == null ? Set.of() : Set.copyOf(devices), tags);
    }

    static GrantBody of(Grant g) {
      return new GrantBody(g.permission().wireName(), g.deviceIds().isEmpty() ? null : List.copyOf(g.deviceIds()),
          g.tags().isEmpty() ? null : g.tags());
    }
  }

  record ServiceBody(String status, List<GrantBody> permissions) {
    ServiceSpec toSpec() {
      IdentityStatus s = status == null ? null : IdentityStatus.fromWire(status);
      if (s == IdentityStatus.QUARANTINED) {
        throw new InvalidInputException("service identities are enabled or disabled, not quarantined");
      }
      return new ServiceSpec(s, permissions == null ? List.of() : permissions.stream().map(GrantBody::toGrant).toList());
    }
  }

  record ServiceView(String name, String status, List<GrantBody> permissions, String etag, Instant createdAt,
      Instant updatedAt, String primaryKey, String secondaryKey, String connectionString) {
    static ServiceView of(ServiceIdentity s) {
      return new ServiceView(s.name(), s.status().wireName(), s.grants().stream().map(GrantBody::of).toList(),
          s.etag(), s.createdAt(), s.updatedAt(), null, null, null);
    }


    ServiceView withKeys(ServiceIdentity s, String connection) {
      return new ServiceView(name, status, permissions, etag, createdAt, updatedAt, s.keys().primaryKey(),
          s.keys().secondaryKey(), connection);
    }
  }
}
