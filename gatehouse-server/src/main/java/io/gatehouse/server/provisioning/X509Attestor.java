package io.gatehouse.server.provisioning;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.provisioning.Attestation;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.x509.CaCertificate;
import io.gatehouse.core.x509.Certificates;
import io.gatehouse.core.x509.ClientCertificateVerifier;
import io.gatehouse.store.CaCertificateStore;
import io.gatehouse.store.EnrollmentStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * X.509 attestation: the TLS client certificate (proven in the handshake) has the registration id
 * as its subject CN and is either pinned by an individual enrollment's thumbprint, or chains to the
 * CA an enrollment group names. The same checks as device authentication, by the same verifier.
 */
final class X509Attestor {
  private final EnrollmentStore enrollments;
  private final CaCertificateStore cas;
  private final ClientCertificateVerifier verifier;

  X509Attestor(EnrollmentStore enrollments, CaCertificateStore cas, ClientCertificateVerifier verifier) {
    this.enrollments = enrollments;
    this.cas = cas;
    this.verifier = verifier;
  }

  Admission admit(String registrationId, List<X509Certificate> chain) {
    X509Certificate leaf = chain.getFirst();
    String cn = Certificates.commonName(leaf);
    if (!registrationId.equals(cn)) {
      throw SymmetricKeyAttestor.unauthorized("the client certificate's subject CN '" + cn
          + "' is not the registration id '" + registrationId + "'");
    }
    String hash = hash(leaf);
    Optional<Enrollment> individual = enrollments.find(EnrollmentKind.INDIVIDUAL, registrationId.toLowerCase(Locale.ROOT));
    if (individual.isPresent()) {
      if (!(individual.get().attestation() instanceof Attestation.X509Thumbprints pinned)) {
        throw SymmetricKeyAttestor.unauthorized("registration id '" + registrationId + "' is enrolled for "
            + individual.get().attestation().kind() + " attestation, not X.509");
      }
      check(registrationId, pinned.thumbprints(), chain, List.of());
      SymmetricKeyAttestor.requireEnabled(individual.get());
      return new Admission(individual.get(), registrationId, pinned.thumbprints(), hash, leaf, null, null);
    }
    List<String> reasons = new ArrayList<>();
    for (Enrollment group : enrollments.groups()) {
      if (!(group.attestation() instanceof Attestation.X509Ca ca)) {
        continue;
      }
      Optional<CaCertificate> registered = cas.find(ca.caName());
      if (registered.isEmpty()) {
        reasons.add("group '" + group.id() + "' names CA '" + ca.caName() + "', which is not registered");
        continue;
      }
      try {
        verify(registrationId, new Authentication.X509CaSigned(), chain, List.of(registered.get()));
      } catch (ClientCertificateVerifier.Refused e) {
        reasons.add("group '" + group.id() + "': " + e.getMessage());
        continue;
      }
      if (!group.admits(registrationId)) {
        throw SymmetricKeyAttestor.unauthorized("registration id '" + registrationId + "' is outside enrollment group '"
            + group.id() + "', which admits only registration ids matching '" + group.registrationIdPattern() + "'");
      }
      SymmetricKeyAttestor.requireEnabled(group);
      return new Admission(group, registrationId, new Authentication.X509CaSigned(), hash, leaf, null, null);
    }
    throw SymmetricKeyAttestor.unauthorized("no enrollment admits the client certificate of '" + registrationId + "'"
        + (reasons.isEmpty() ? ": there is no individual enrollment for it and no X.509 enrollment group"
            : ": " + String.join("; ", reasons)));
  }

  private void check(String registrationId, Authentication auth, List<X509Certificate> chain, List<CaCertificate> cas) {
    try {
      verify(registrationId, auth, chain, cas);
    } catch (ClientCertificateVerifier.Refused e) {
      throw SymmetricKeyAttestor.unauthorized(e.getMessage());
    }
  }

  /** The verifier checks devices; a stand-in device carries the enrollment's rule. */
  private void verify(String registrationId, Authentication auth, List<X509Certificate> chain, List<CaCertificate> cas)
      throws ClientCertificateVerifier.Refused {
    verifier.verify(new Device(registrationId, IdentityKind.DEVICE, IdentityStatus.ENABLED, null, auth, null, null,
        null, null, null, null), chain, cas);
  }

  static String hash(X509Certificate certificate) {
    try {
      return Hashes.sha256(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw SymmetricKeyAttestor.unauthorized("the client certificate cannot be encoded");
    }
  }
}
