package io.gatehouse.server.api;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.provisioning.Attestation;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.core.provisioning.ReprovisionPolicy;
import io.gatehouse.server.provisioning.EnrollmentService;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/** JSON shapes of the enrollment API. */
final class EnrollmentDtos {
  private EnrollmentDtos() {}

  record EnrollmentBody(AttestationBody attestation, Boolean enabled, String deviceId, String registrationIdPattern,
      Map<String, String> tags, String parentId, String reprovisionPolicy, String deviceKind) {
    EnrollmentService.Spec toSpec() {
      return new EnrollmentService.Spec(attestation == null ? null : attestation.toAttestation(), enabled, deviceId,
          registrationIdPattern, tags, parentId,
          reprovisionPolicy == null ? null : ReprovisionPolicy.fromWire(reprovisionPolicy),
          deviceKind == null ? null : io.gatehouse.core.identity.IdentityKind.fromWire(deviceKind));
    }
  }

  /**
   * {@code type}: {@code symmetric-key} (keys optional: generated when left out), {@code x509}
   * (thumbprints), {@code x509-ca} (a registered CA's name), {@code tpm} (endorsement key, optional
   * EK certificate).
   */
  record AttestationBody(String type, String primaryKey, String secondaryKey, String primaryThumbprint,
      String secondaryThumbprint, String caName, String endorsementKey, String ekCertificate) {
    Attestation toAttestation() {
      String t = type == null ? "symmetric-key" : type;
      return switch (t) {
        case "symmetric-key" -> {
          only(t, primaryThumbprint == null && secondaryThumbprint == null && caName == null && endorsementKey == null
              && ekCertificate == null);
          if (primaryKey == null && secondaryKey == null) {
            yield null;
          }
          if (primaryKey == null || secondaryKey == null) {
            throw new InvalidInputException("give both primaryKey and secondaryKey, or neither to have them generated");
          }
          yield new Attestation.SymmetricKey(primaryKey, secondaryKey);
        }
        case "x509" -> {
          only(t, primaryKey == null && secondaryKey == null && caName == null && endorsementKey == null
              && ekCertificate == null);
          yield new Attestation.X509Thumbprints(new Authentication.X509Thumbprints(primaryThumbprint,
              secondaryThumbprint));
        }
        case "x509-ca" -> {
          only(t, primaryKey == null && secondaryKey == null && primaryThumbprint == null && secondaryThumbprint == null
              && endorsementKey == null && ekCertificate == null);
          yield new Attestation.X509Ca(caName);
        }
        case "tpm" -> {
          only(t, primaryKey == null && secondaryKey == null && primaryThumbprint == null && secondaryThumbprint == null
              && caName == null);
          if (endorsementKey == null) {
            throw new InvalidInputException("attestation.endorsementKey is missing; give the EK's TPM2B_PUBLIC in base64");
          }
          try {
            yield new Attestation.Tpm(Base64.getDecoder().decode(endorsementKey), ekCertificate);
          } catch (IllegalArgumentException e) {
            throw new InvalidInputException("attestation.endorsementKey is not valid base64");
          }
        }
        default -> throw new InvalidInputException("attestation.type '" + t
            + "' is not known; use symmetric-key, x509, x509-ca or tpm");
      };
    }

    private static void only(String type, boolean fits) {
      if (!fits) {
        throw new InvalidInputException("attestation of type " + type + " takes only its own fields: symmetric-key "
            + "primaryKey/secondaryKey; x509 primaryThumbprint/secondaryThumbprint; x509-ca caName; tpm "
            + "endorsementKey/ekCertificate");
      }
    }
  }

  record AttestationView(String type, String primaryThumbprint, String secondaryThumbprint, String caName,
      String endorsementKey, String ekCertificateSubject, Boolean ekPinnedWithoutCertificate) {
    static AttestationView of(Attestation attestation) {
      return switch (attestation) {
        case Attestation.SymmetricKey ignored -> new AttestationView("symmetric-key", null, null, null, null, null, null);
        case Attestation.X509Thumbprints t -> new AttestationView("x509", t.thumbprints().primaryThumbprint(),
            t.thumbprints().secondaryThumbprint(), null, null, null, null);
        case Attestation.X509Ca ca -> new AttestationView("x509-ca", null, null, ca.caName(), null, null, null);
        case Attestation.Tpm tpm -> new AttestationView("tpm", null, null, null,
            Base64.getEncoder().encodeToString(tpm.endorsementKey()),
            tpm.ekCertificatePem() == null ? null : io.gatehouse.core.x509.Certificates.parsePem(
                tpm.ekCertificatePem()).getFirst().getSubjectX500Principal().getName(),
            tpm.pinnedWithoutCertificate());
      };
    }
  }

  /** Keys appear only in the answer to a create. */
  record EnrollmentView(String kind, String registrationId, String enrollmentGroupId, AttestationView attestation,
      boolean enabled, String deviceKind, String deviceId, String registrationIdPattern, Map<String, String> tags,
      String parentId, String reprovisionPolicy, String etag, Instant createdAt, Instant updatedAt, String primaryKey,
      String secondaryKey) {
    static EnrollmentView of(Enrollment e) {
      boolean group = e.kind() == EnrollmentKind.GROUP;
      return new EnrollmentView(e.kind().wireName(), group ? null : e.id(), group ? e.id() : null,
          AttestationView.of(e.attestation()), e.enabled(), e.deviceKind().wireName(), e.deviceId(),
          e.registrationIdPattern(), e.tags(),
          e.parentId(), e.reprovisionPolicy().wireName(), e.etag(), e.createdAt(), e.updatedAt(), null, null);
    }

    static EnrollmentView withKeys(Enrollment e) {
      EnrollmentView view = of(e);
      if (e.attestation() instanceof Attestation.SymmetricKey keys) {
        return new EnrollmentView(view.kind, view.registrationId, view.enrollmentGroupId, view.attestation,
            view.enabled, view.deviceKind, view.deviceId, view.registrationIdPattern, view.tags, view.parentId,
            view.reprovisionPolicy, view.etag, view.createdAt, view.updatedAt, keys.primaryKey(), keys.secondaryKey());
      }
      return view;
    }
  }

  record RegistrationView(String registrationId, String deviceId, String enrollment, String attestation, String status,
      String substatus, String operationId, String etag, Instant createdAt, Instant updatedAt) {
    static RegistrationView of(Registration r) {
      return new RegistrationView(r.registrationId(), r.deviceId(), r.enrollmentReference(), r.attestation(),
          "assigned", r.substatus().wireName(), r.operationId(), r.etag(), r.createdAt(), r.updatedAt());
    }
  }

  /** Where and how devices provision with this gateway. */
  record ProvisioningView(String idScope, String globalEndpoint, int port, String assignedHub) {}
}
