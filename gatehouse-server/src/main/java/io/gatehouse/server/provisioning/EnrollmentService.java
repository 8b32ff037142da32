package io.gatehouse.server.provisioning;

import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.crypto.SymmetricKeyFactory;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.provisioning.Attestation;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.core.provisioning.RegistrationIds;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.server.registry.DeviceRegistry;
import io.gatehouse.store.CaCertificateStore;
import io.gatehouse.store.EnrollmentStore;
import io.gatehouse.store.Page;
import io.gatehouse.store.RegistrationStore;
import java.util.Locale;

/**
 * Enrollments through the service API: every change needs {@code enrollments.write}, every read
 * {@code enrollments.read}; changes are validated against the registry (a group's CA must be
 * registered, a parent must be a field gateway, an EK certificate must certify the endorsement key
 * and chain to a configured TPM manufacturer root) and audited. A symmetric-key enrollment given
 * without keys gets generated ones, which the create answer shows once.
 */
public final class EnrollmentService {
  private final EnrollmentStore enrollments;
  private final RegistrationStore registrations;
  private final CaCertificateStore cas;
  private final DeviceRegistry devices;
  private final Guard guard;
  private final AuditLog audit;
  private final SymmetricKeyFactory keys;
  private final java.util.List<java.security.cert.X509Certificate> tpmRoots;
  private final java.time.Clock clock;

  /** @param tpmRoots the TPM manufacturers' root certificates EK certificates must chain to (may be empty) */
  public EnrollmentService(EnrollmentStore enrollments, RegistrationStore registrations, CaCertificateStore cas,
      DeviceRegistry devices, Guard guard, AuditLog audit, SymmetricKeyFactory keys,
      java.util.List<java.security.cert.X509Certificate> tpmRoots, java.time.Clock clock) {
    this.tpmRoots = java.util.List.copyOf(tpmRoots);
    this.clock = clock;
    this.enrollments = enrollments;
    this.registrations = registrations;
    this.cas = cas;
    this.devices = devices;
    this.guard = guard;
    this.audit = audit;
    this.keys = keys;
  }

  /** What a caller asks an enrollment to be; {@code attestation} null means generated symmetric keys. */
  public record Spec(Attestation attestation, Boolean enabled, String deviceId, String registrationIdPattern,
      java.util.Map<String, String> tags, String parentId, io.gatehouse.core.provisioning.ReprovisionPolicy policy,
      IdentityKind deviceKind) {}

  public Enrollment create(Caller caller, EnrollmentKind kind, String id, Spec spec) {
    String target = target(kind, id);
    guard.require(caller, Permission.ENROLLMENTS_WRITE, "enrollment.create", target);
    Attestation attestation = spec.attestation() != null ? spec.attestation()
        : new Attestation.SymmetricKey(keys.newKey(), keys.newKey());
    Enrollment enrollment = validated(new Enrollment(kind, id, attestation, spec.enabled() == null || spec.enabled(),
        spec.deviceId(), spec.registrationIdPattern(), spec.tags(), spec.parentId(), spec.policy(), spec.deviceKind(),
        null, null, null));
    Enrollment created = enrollments.create(enrollment);
    audit.record(caller.actor(), "enrollment.create", target, io.gatehouse.core.audit.AuditEvent.Outcome.SUCCESS,
        attestation.kind(), caller.source());
    return created;
  }

  /** Replaces everything but the keys of a symmetric-key enrollment, which stay unless new ones are given. */
  public Enrollment replace(Caller caller, EnrollmentKind kind, String id, Spec spec, String ifMatch) {
    String target = target(kind, id);
    guard.require(caller, Permission.ENROLLMENTS_WRITE, "enrollment.update", target);
    Enrollment current = find(kind, id);
    Attestation attestation = spec.attestation() != null ? spec.attestation() : current.attestation();
    Enrollment replaced = enrollments.replace(validated(new Enrollment(kind, current.id(), attestation,
        spec.enabled() == null || spec.enabled(), spec.deviceId(), spec.registrationIdPattern(), spec.tags(),
        spec.parentId(), spec.policy(), spec.deviceKind(), null, null, null)), ifMatch);
    audit.success(caller.actor(), "enrollment.update", target, caller.source());
    return replaced;
  }

  public Enrollment get(Caller caller, EnrollmentKind kind, String id) {
    guard.require(caller, Permission.ENROLLMENTS_READ, "enrollment.read", target(kind, id));
    return find(kind, id);
  }

  public Page<Enrollment> list(Caller caller, EnrollmentKind kind, int pageSize, String continuationToken) {
    guard.require(caller, Permission.ENROLLMENTS_READ, "enrollment.list", kind.wireName());
    return enrollments.list(kind, pageSize, continuationToken);
  }

  public Enrollment setEnabled(Caller caller, EnrollmentKind kind, String id, boolean enabled) {
    String action = enabled ? "enrollment.enable" : "enrollment.disable";
    guard.require(caller, Permission.ENROLLMENTS_WRITE, action, target(kind, id));
    for (int attempt = 1; ; attempt++) {
      Enrollment current = find(kind, id);
      try {
        Enrollment updated = enrollments.replace(current.withEnabled(enabled), current.etag());
        audit.success(caller.actor(), action, target(kind, id), caller.source());
        return updated;
      } catch (io.gatehouse.core.error.PreconditionFailedException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** Deleting an enrollment admits no further registrations; devices it provisioned stay in the registry. */
  public void delete(Caller caller, EnrollmentKind kind, String id, String ifMatch) {
    guard.require(caller, Permission.ENROLLMENTS_WRITE, "enrollment.delete", target(kind, id));
    enrollments.delete(kind, key(kind, id), ifMatch);
    audit.success(caller.actor(), "enrollment.delete", target(kind, id), caller.source());
  }

  public Registration registration(Caller caller, String registrationId) {
    guard.require(caller, Permission.ENROLLMENTS_READ, "registration.read", "registration:" + registrationId);
    RegistrationIds.requireValid(registrationId);
    return registrations.find(registrationId)
        .orElseThrow(() -> new NotFoundException("registration '" + registrationId + "' was never assigned"));
  }

  public Page<Registration> registrations(Caller caller, EnrollmentKind kind, String id, int pageSize, String token) {
    guard.require(caller, Permission.ENROLLMENTS_READ, "registration.list", target(kind, id));
    Enrollment enrollment = find(kind, id);
    return registrations.listByEnrollment(enrollment.reference(), pageSize, token);
  }

  private Enrollment validated(Enrollment enrollment) {
    if (enrollment.attestation() instanceof Attestation.Tpm tpm) {
      io.gatehouse.core.provisioning.TpmPublicKeys.parse(tpm.endorsementKey()); // a real EK, or a precise 400
      if (tpm.ekCertificatePem() != null) {
        io.gatehouse.core.provisioning.EkCertificates.verify(tpm.endorsementKey(), tpm.ekCertificatePem(), tpmRoots,
            clock.instant());
      }
    }
    if (enrollment.attestation() instanceof Attestation.X509Ca ca && cas.find(ca.caName()).isEmpty()) {
      throw new InvalidInputException("CA certificate '" + ca.caName() + "' is not registered; add it with "
          + "PUT /certificates/" + ca.caName() + " first");
    }
    if (enrollment.parentId() != null) {
      Device parent = devices.lookup(enrollment.parentId())
          .orElseThrow(() -> new InvalidInputException("parent '" + enrollment.parentId() + "' does not exist"));
      if (parent.kind() != IdentityKind.EDGE) {
        throw new InvalidInputException("parent '" + enrollment.parentId() + "' is not a field gateway (kind edge)");
      }
    }
    return enrollment;
  }

  private Enrollment find(EnrollmentKind kind, String id) {
    return enrollments.find(kind, key(kind, id)).orElseThrow(() -> new NotFoundException("no "
        + (kind == EnrollmentKind.GROUP ? "enrollment group '" : "individual enrollment '") + id + "'"));
  }

  private static String key(EnrollmentKind kind, String id) {
    return kind == EnrollmentKind.INDIVIDUAL ? RegistrationIds.normalise(id)
        : io.gatehouse.core.identity.IdentityIds.requireValid("enrollment group id", id);
  }

  private static String target(EnrollmentKind kind, String id) {
    return "enrollment:" + kind.wireName() + "/" + id.toLowerCase(Locale.ROOT);
  }
}
