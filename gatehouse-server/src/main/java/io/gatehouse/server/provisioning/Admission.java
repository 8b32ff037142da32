package io.gatehouse.server.provisioning;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.provisioning.Enrollment;
import java.security.cert.X509Certificate;

/**
 * A registration whose proof an enrollment accepted: what the device becomes is decided next.
 *
 * @param credential the device's credential in the registry; {@code null} for TPM, whose hub key is
 *     chosen at assignment (a fresh key, or the one it has under the "never" policy)
 * @param credentialHash SHA-256 (hex) of the proof (SAS token text or client certificate), which
 *     operation polls must repeat
 * @param certificate the client certificate, for X.509 attestation
 * @param tpm the device's TPM keys, for TPM attestation
 * @param tokenExpiresAt when the register token stops being valid (clock skew included), so that
 *     it is remembered as used until then; {@code null} without a token (X.509)
 */
public record Admission(Enrollment enrollment, String registrationId, Authentication credential, String credentialHash,
    X509Certificate certificate, RegistrationRequest.Tpm tpm, java.time.Instant tokenExpiresAt) {

  public String attestation() {
    return enrollment.attestation().kind();
  }
}
