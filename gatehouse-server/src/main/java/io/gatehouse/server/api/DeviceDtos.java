package io.gatehouse.server.api;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.server.registry.DeviceSpec;
import java.time.Instant;
import java.util.Map;

/** JSON shapes of the device API. */
final class DeviceDtos {
  private DeviceDtos() {}

  record DeviceBody(String kind, String status, String statusReason, AuthenticationBody authentication,
      String parentId, Map<String, String> tags) {
    DeviceSpec toSpec() {
      return new DeviceSpec(kind == null ? null : IdentityKind.fromWire(kind),
          status == null ? null : IdentityStatus.fromWire(status), statusReason,
          authentication == null ? null : authentication.toAuthentication(), parentId, tags);
    }
  }

  record AuthenticationBody(String type, String primaryKey, String secondaryKey, String primaryThumbprint,
      String secondaryThumbprint) {
    /** {@code null} for SAS without keys: the registry generates (or keeps) them. */
    Authentication toAuthentication() {
      String t = type == null ? "sas" : type;
      return switch (t) {
        case "sas" -> {
          rejectPresent("primaryThumbprint", primaryThumbprint, t);
          rejectPresent("secondaryThumbprint", secondaryThumbprint, t);
          if (primaryKey == null && secondaryKey == null) {
            yield null;
          }
          if (primaryKey == null || secondaryKey == null) {
            throw new InvalidInputException("give both primaryKey and secondaryKey, or neither to have them generated");
          }
          yield new Authentication.SymmetricKeys(primaryKey, secondaryKey);
        }
        case "x509-thumbprint" -> {
          rejectPresent("primaryKey", primaryKey, t);
          rejectPresent("secondaryKey", secondaryKey, t);
          yield new Authentication.X509Thumbprints(primaryThumbprint, secondaryThumbprint);
        }
        case "x509-ca" -> {
          rejectPresent("primaryKey", primaryKey, t);
          rejectPresent("secondaryKey", secondaryKey, t);
          rejectPresent("primaryThumbprint", primaryThumbprint, t);
          rejectPresent("secondaryThumbprint", secondaryThumbprint, t);
          yield new Authentication.X509CaSigned();
        }
        default -> throw new InvalidInputException(
            "authentication.type '" + t + "' is not known; use sas, x509-thumbprint or x509-ca");
      };
    }

    private static void rejectPresent(String field, String value, String type) {
      if (value != null) {
        throw new InvalidInputException("authentication." + field + " does not apply to type " + type);
      }
    }
  }

  record AuthenticationView(String type, String primaryThumbprint, String secondaryThumbprint) {
    static AuthenticationView of(Authentication auth) {
      return auth instanceof Authentication.X509Thumbprints t
          ? new AuthenticationView(auth.type(), t.primaryThumbprint(), t.secondaryThumbprint())
          : new AuthenticationView(auth.type(), null, null);
    }
  }

  /** How the device came through the provisioning service; absent for devices created through this API. */
  record ProvisioningView(String attestation, String registrationId, String enrollment, Instant provisionedAt) {
    static ProvisioningView of(io.gatehouse.core.identity.Provisioning p) {
      return p == null ? null : new ProvisioningView(p.attestation(), p.registrationId(), p.enrollment(),
          p.provisionedAt());
    }
  }

  /** Keys and connection string appear only in the answers that hand them out. */
  record DeviceView(String deviceId, String kind, String status, String statusReason,
      AuthenticationView authentication, String parentId, Map<String, String> tags, String etag,
      Instant createdAt, Instant updatedAt, Instant lastActivityAt, ProvisioningView provisioning, String primaryKey,
      String secondaryKey, String connectionString) {
    static DeviceView of(Device d) {
      return new DeviceView(d.id(), d.kind().wireName(), d.status().wireName(), d.statusReason(),
          AuthenticationView.of(d.authentication()), d.parentId(), d.tags(), d.etag(), d.createdAt(), d.updatedAt(),
          d.lastActivityAt(), ProvisioningView.of(d.provisioning()), null, null, null);
    }

    DeviceView withSecrets(String primary, String secondary, String connection) {
      return new DeviceView(deviceId, kind, status, statusReason, authentication, parentId, tags, etag, createdAt,
          updatedAt, lastActivityAt, provisioning, primary, secondary, connection);
    }
  }

  record ReasonBody(String reason) {}

  record KeyBody(String key) {}

  record TokenBody(Long ttlSeconds, String key) {}

  record TokenView(String token, Instant expiresAt) {}

  record ConnectionStringView(String connectionString) {}
}
