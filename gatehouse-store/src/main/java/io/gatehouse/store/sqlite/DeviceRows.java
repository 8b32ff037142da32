package io.gatehouse.store.sqlite;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Authentication.SymmetricKeys;
import io.gatehouse.core.identity.Authentication.X509CaSigned;
import io.gatehouse.core.identity.Authentication.X509Thumbprints;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.Provisioning;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** Maps devices to rows of {@code devices} and back, sealing and opening their keys. */
final class DeviceRows {
  /** Select list; the query must alias {@code devices} as {@code d}. */
  static final String COLUMNS = "d.id, d.kind, d.status, d.status_reason, d.auth_type, d.primary_key_sealed,"
      + " d.secondary_key_sealed, d.primary_thumbprint, d.secondary_thumbprint, d.parent_id, d.etag,"
      + " d.created_at, d.updated_at, d.last_activity_at, d.provisioning_attestation, d.provisioning_registration_id,"
      + " d.provisioning_enrollment, d.provisioned_at";

  /** The columns written from a device, in the order {@link #bindContent} binds them. */
  static final String CONTENT_COLUMNS = "kind, status, status_reason, auth_type, primary_key_sealed,"
      + " secondary_key_sealed, primary_thumbprint, secondary_thumbprint, parent_id, provisioning_attestation,"
      + " provisioning_registration_id, provisioning_enrollment, provisioned_at";

  /** {@link #CONTENT_COLUMNS} as {@code column = ?} for an UPDATE. */
  static final String CONTENT_ASSIGNMENTS = CONTENT_COLUMNS.replace(",", " = ?,") + " = ?";

  /** How many columns {@link #bindContent} binds. */
  static final int CONTENT_COUNT = CONTENT_COLUMNS.split(",").length;

  private final KeySealer sealer;

  DeviceRows(KeySealer sealer) {
    this.sealer = sealer;
  }

  /** How a device authenticates, as stored: keys sealed, thumbprints in clear (they are public). */
  record AuthColumns(String type, byte[] primarySealed, byte[] secondarySealed, String primaryThumbprint,
      String secondaryThumbprint) {}

  /** A row as read, keys still sealed: opened only in {@link #toDevice}, outside the result set loop. */
  record Row(String id, String kind, String status, String statusReason, AuthColumns auth, String parentId,
      String etag, Instant createdAt, Instant updatedAt, Instant lastActivityAt, Provisioning provisioning) {}

  AuthColumns seal(String deviceId, Authentication authentication) {
    String owner = owner(deviceId);
    return switch (authentication) {
      case SymmetricKeys keys -> new AuthColumns(keys.type(), sealer.seal(owner, "primary", keys.primaryKey()),
          sealer.seal(owner, "secondary", keys.secondaryKey()), null, null);
      case X509Thumbprints prints -> new AuthColumns(prints.type(), null, null, prints.primaryThumbprint(),
          prints.secondaryThumbprint());
      case X509CaSigned ca -> new AuthColumns(ca.type(), null, null, null, null);
    };
  }

  /** Binds {@link #CONTENT_COLUMNS} from {@code index}; returns the next free index. */
  static int bindContent(PreparedStatement statement, int index, Device device, AuthColumns auth) throws SQLException {
    statement.setString(index++, device.kind().wireName());
    statement.setString(index++, device.status().wireName());
    statement.setString(index++, device.statusReason());
    statement.setString(index++, auth.type());
    statement.setBytes(index++, auth.primarySealed());
    statement.setBytes(index++, auth.secondarySealed());
    statement.setString(index++, auth.primaryThumbprint());
    statement.setString(index++, auth.secondaryThumbprint());
    statement.setString(index++, device.parentId());
    Provisioning provisioning = device.provisioning();
    statement.setString(index++, provisioning == null ? null : provisioning.attestation());
    statement.setString(index++, provisioning == null ? null : provisioning.registrationId());
    statement.setString(index++, provisioning == null ? null : provisioning.enrollment());
    Millis.bind(statement, index++, provisioning == null ? null : Millis.truncate(provisioning.provisionedAt()));
    return index;
  }

  static Row read(ResultSet rs) throws SQLException {
    return new Row(rs.getString("id"), rs.getString("kind"), rs.getString("status"), rs.getString("status_reason"),
        new AuthColumns(rs.getString("auth_type"), rs.getBytes("primary_key_sealed"),
            rs.getBytes("secondary_key_sealed"), rs.getString("primary_thumbprint"),
            rs.getString("secondary_thumbprint")),
        rs.getString("parent_id"), rs.getString("etag"), Millis.read(rs, "created_at"),
        Millis.read(rs, "updated_at"), Millis.read(rs, "last_activity_at"), provisioning(rs));
  }

  private static Provisioning provisioning(ResultSet rs) throws SQLException {
    String attestation = rs.getString("provisioning_attestation");
    if (attestation == null) {
      return null;
    }
    return new Provisioning(attestation, rs.getString("provisioning_registration_id"),
        rs.getString("provisioning_enrollment"), Millis.read(rs, "provisioned_at"));
  }

  /** @throws io.gatehouse.core.crypto.SecretBox.SecretBoxException if a key does not open */
  Device toDevice(Row row, Map<String, String> tags) {
    return new Device(row.id(), IdentityKind.fromWire(row.kind()), IdentityStatus.fromWire(row.status()),
        row.statusReason(), open(row.id(), row.auth()), row.parentId(), tags, row.etag(), row.createdAt(),
        row.updatedAt(), row.lastActivityAt(), row.provisioning());
  }

  private Authentication open(String deviceId, AuthColumns auth) {
    return switch (auth.type()) {
      case "sas" -> new SymmetricKeys(sealer.open(owner(deviceId), "primary", auth.primarySealed()),
          sealer.open(owner(deviceId), "secondary", auth.secondarySealed()));
      case "x509-thumbprint" -> new X509Thumbprints(auth.primaryThumbprint(), auth.secondaryThumbprint());
      case "x509-ca" -> new X509CaSigned();
      default -> throw new StoreFailureException("device '" + deviceId + "' has an unknown auth_type in the database");
    };
  }

  private static String owner(String deviceId) {
    return "device/" + deviceId;
  }
}
