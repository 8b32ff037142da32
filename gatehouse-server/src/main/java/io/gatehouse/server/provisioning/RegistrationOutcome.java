package io.gatehouse.server.provisioning;

import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.Registration;
import java.security.cert.X509Certificate;

/** What a provisioning call answers: an assignment (register, poll, status), or a TPM challenge. */
public sealed interface RegistrationOutcome {
  /**
   * @param registrationId the id as the device sent it
   * @param enrollment the enrollment that admitted it ({@code null} when only the record was read)
   * @param certificate the device's client certificate, for X.509 registrations
   * @param tpmAuthenticationKey the blob holding the TPM's hub key, for TPM registrations
   */
  record Assigned(String registrationId, Registration registration, Enrollment enrollment,
      X509Certificate certificate, byte[] tpmAuthenticationKey) implements RegistrationOutcome {}

  /** The first TPM call's answer: 401 with this blob. */
  record TpmChallenge(byte[] authenticationKey) implements RegistrationOutcome {}
}
