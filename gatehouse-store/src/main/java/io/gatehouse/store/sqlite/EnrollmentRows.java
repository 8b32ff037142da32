package io.gatehouse.store.sqlite;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.provisioning.Attestation;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.ReprovisionPolicy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Maps enrollments to rows of {@code enrollments} and back, sealing and opening symmetric keys. */
final class EnrollmentRows {
  static final String KEY_COLUMNS = "kind, id";

  /** Written from an enrollment, in the order {@link #bindContent} binds them. */
  static final String CONTENT_COLUMNS = "attestation_type, primary_key_sealed, secondary_key_sealed,"
      + " primary_thumbprint, secondary_thumbprint, ca_name, endorsement_key, ek_certificate_pem, status, device_id,"
      + " registration_id_pattern, initial_tags, parent_id, reprovision_policy, device_kind";

  static final int CONTENT_COUNT = CONTENT_COLUMNS.split(",").length;

  static final String CONTENT_ASSIGNMENTS = CONTENT_COLUMNS.replace(",", " = ?,") + " = ?";

  static final String COLUMNS = KEY_COLUMNS + ", " + CONTENT_COLUMNS + ", etag, created_at, updated_at";

  private final KeySealer sealer;

  EnrollmentRows(KeySealer sealer) {
    this.sealer = sealer;
  }

  /** The attestation as stored: keys sealed (done before the writer runs), the rest public. */
  record Sealed(String type, byte[] primaryKey, byte[] secondaryKey, String primaryThumbprint,
      String secondaryThumbprint, String caName, byte[] endorsementKey, String ekCertificatePem) {}

  Sealed seal(Enrollment enrollment) {
    String owner = owner(enrollment.kind(), enrollment.id());
    return switch (enrollment.attestation()) {
      case Attestation.SymmetricKey keys -> new Sealed("symmetric-key", sealer.seal(owner, "primary", keys.primaryKey()),
          sealer.seal(owner, "secondary", keys.secondaryKey()), null, null, null, null, null);
      case Attestation.X509Thumbprints prints -> new Sealed("x509-thumbprint", null, null,
          prints.thumbprints().primaryThumbprint(), prints.thumbprints().secondaryThumbprint(), null, null, null);
      case Attestation.X509Ca ca -> new Sealed("x509-ca", null, null, null, null, ca.caName(), null, null);
      case Attestation.Tpm tpm -> new Sealed("tpm", null, null, null, null, null, tpm.endorsementKey(),
          tpm.ekCertificatePem());
    };
  }

  static int bindContent(PreparedStatement statement, int index, Enrollment enrollment, Sealed sealed)
      throws SQLException {
    statement.setString(index++, sealed.type());
    statement.setBytes(index++, sealed.primaryKey());
    statement.setBytes(index++, sealed.secondaryKey());
    statement.setString(index++, sealed.primaryThumbprint());
    statement.setString(index++, sealed.secondaryThumbprint());
    statement.setString(index++, sealed.caName());
    statement.setBytes(index++, sealed.endorsementKey());
    statement.setString(index++, sealed.ekCertificatePem());
    statement.setString(index++, enrollment.enabled() ? "enabled" : "disabled");
    statement.setString(index++, enrollment.deviceId());
    statement.setString(index++, enrollment.registrationIdPattern());
    statement.setBytes(index++, enrollment.tags().isEmpty() ? null : ApplicationPropertiesCodec.encode(enrollment.tags()));
    statement.setString(index++, enrollment.parentId());
    statement.setString(index++, enrollment.reprovisionPolicy().wireName());
    statement.setString(index++, enrollment.deviceKind().wireName());
    return index;
  }

  /** A row as read, keys still sealed: they are opened outside the result-set loop. */
  record Row(EnrollmentKind kind, String id, Sealed sealed, boolean enabled, String deviceId, String pattern,
      byte[] tags, String parentId, String policy, String deviceKind, String etag, Instant createdAt,
      Instant updatedAt) {}

  static Row read(ResultSet rs) throws SQLException {
    return new Row(EnrollmentKind.fromWire(rs.getString("kind")), rs.getString("id"),
        new Sealed(rs.getString("attestation_type"), rs.getBytes("primary_key_sealed"),
            rs.getBytes("secondary_key_sealed"), rs.getString("primary_thumbprint"),
            rs.getString("secondary_thumbprint"), rs.getString("ca_name"), rs.getBytes("endorsement_key"),
            rs.getString("ek_certificate_pem")),
        "enabled".equals(rs.getString("status")), rs.getString("device_id"), rs.getString("registration_id_pattern"),
        rs.getBytes("initial_tags"), rs.getString("parent_id"), rs.getString("reprovision_policy"),
        rs.getString("device_kind"), rs.getString("etag"), Millis.read(rs, "created_at"), Millis.read(rs, "updated_at"));
  }

  /** @throws io.gatehouse.core.crypto.SecretBox.SecretBoxException if a key does not open */
  Enrollment toEnrollment(Row row) {
    return new Enrollment(row.kind(), row.id(), open(row), row.enabled(), row.deviceId(), row.pattern(),
        row.tags() == null ? null : ApplicationPropertiesCodec.decode(row.tags()), row.parentId(),
        ReprovisionPolicy.fromWire(row.policy()), IdentityKind.fromWire(row.deviceKind()), row.etag(),
        row.createdAt(), row.updatedAt());
  }

  private Attestation open(Row row) {
    Sealed s = row.sealed();
    String owner = owner(row.kind(), row.id());
    return switch (s.type()) {
      case "symmetric-key" -> new Attestation.SymmetricKey(sealer.open(owner, "primary", s.primaryKey()),
          sealer.open(owner, "secondary", s.secondaryKey()));
      case "x509-thumbprint" -> new Attestation.X509Thumbprints(
          new Authentication.X509Thumbprints(s.primaryThumbprint(), s.secondaryThumbprint()));
      case "x509-ca" -> new Attestation.X509Ca(s.caName());
      case "tpm" -> new Attestation.Tpm(s.endorsementKey(), s.ekCertificatePem());
      default -> throw new StoreFailureException("enrollment " + row.kind().wireName() + "/" + row.id()
          + " has an unknown attestation_type in the database");
    };
  }

  /** The associated data of sealed keys: a ciphertext copied to another enrollment or slot does not open. */
  private static String owner(EnrollmentKind kind, String id) {
    return "enrollment/" + kind.wireName() + "/" + id;
  }
}
