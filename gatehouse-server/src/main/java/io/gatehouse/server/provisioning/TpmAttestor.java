package io.gatehouse.server.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.provisioning.Attestation;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import io.gatehouse.store.EnrollmentStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/**
 * TPM attestation, Azure DPS's two-call flow. First call (no Authorization, body with the TPM's EK
 * and SRK): the EK must be the one an individual enrollment pinned; the answer is 401 with an
 * {@code authenticationKey} that only that TPM can open, holding a fresh identity key. Second call:
 * a SAS token signed inside the TPM with that key proves the TPM holds the EK. The blob itself is
 * built by {@link TpmChallenges}.
 */
final class TpmAttestor {
  static final int KEY_BYTES = 32;

  private final EnrollmentStore enrollments;
  private final TpmChallenges challenges;
  private final PendingTpmChallenges pending;
  private final SasVerifier verifier;
  private final SecureRandom random;

  TpmAttestor(EnrollmentStore enrollments, TpmChallenges challenges, PendingTpmChallenges pending, SasVerifier verifier,
      SecureRandom random) {
    this.enrollments = enrollments;
    this.challenges = challenges;
    this.pending = pending;
    this.verifier = verifier;
    this.random = random;
  }

  /** The first call: the {@code authenticationKey} blob for the 401 answer. */
  byte[] challenge(String registrationId, RegistrationRequest.Tpm tpm) {
    SymmetricKeyAttestor.requireEnabled(enrollment(registrationId, tpm));
    byte[] key = newKey();
    byte[] blob = blob(tpm, key);
    if (!pending.offer(registrationId.toLowerCase(Locale.ROOT), tpm.endorsementKey(), key)) {
      throw new DpsException(DpsErrorCode.THROTTLED, "too many TPM challenges are waiting for an answer; retry later");
    }
    return blob;
  }

  /** The second call: the token must be signed with the key of this registration's live challenge. */
  Admission admit(IdScope scope, String registrationId, RegistrationRequest.Tpm tpm, String tokenText, SasToken token) {
    Enrollment enrollment = enrollment(registrationId, tpm);
    PendingTpmChallenges.Pending challenge = pending.take(registrationId.toLowerCase(Locale.ROOT))
        .orElseThrow(() -> SymmetricKeyAttestor.unauthorized("no TPM challenge is waiting for '" + registrationId
            + "' (none was asked for, it was answered already, or it expired after "
            + PendingTpmChallenges.LIFETIME.toMinutes() + " minutes): register without Authorization first"));
    if (!MessageDigest.isEqual(challenge.endorsementKey(), tpm.endorsementKey())) {
      throw SymmetricKeyAttestor.unauthorized("the endorsement key is not the one the challenge was made for");
    }
    String resource = scope.value() + "/registrations/" + registrationId;
    SymmetricKeyAttestor.requireExactAudience(token, resource);
    try {
      verifier.verify(token, resource, List.of(challenge.key()));
    } catch (SasException e) {
      throw SymmetricKeyAttestor.unauthorized(e.reason() == SasException.Reason.BAD_SIGNATURE
          ? "the SAS token is not signed with the identity key of the TPM challenge: the TPM did not activate it"
          : e.getMessage());
    }
    SymmetricKeyAttestor.requireEnabled(enrollment);
    return new Admission(enrollment, registrationId, null, Hashes.sha256(tokenText), null, tpm,
        SymmetricKeyAttestor.expiry(token));
  }

  /** The final answer's blob, holding the device's key in the registry. */
  byte[] blob(RegistrationRequest.Tpm tpm, byte[] key) {
    try {
      return challenges.authenticationKey(tpm.endorsementKey(), tpm.storageRootKey(), key);
    } catch (UnsupportedOperationException e) {
      throw new DpsException(DpsErrorCode.NOT_IMPLEMENTED, e.getMessage());
    } catch (IllegalArgumentException | InvalidInputException e) {
      throw new DpsException(DpsErrorCode.MALFORMED_REQUEST, "the TPM keys cannot be used: " + e.getMessage());
    }
  }

  byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  private Enrollment enrollment(String registrationId, RegistrationRequest.Tpm tpm) {
    Enrollment enrollment = enrollments.find(EnrollmentKind.INDIVIDUAL, registrationId.toLowerCase(Locale.ROOT))
        .orElseThrow(() -> SymmetricKeyAttestor.unauthorized("registration id '" + registrationId
            + "' has no individual enrollment; TPM attestation needs one that pins the endorsement key"));
    if (!(enrollment.attestation() instanceof Attestation.Tpm pinned)) {
      throw SymmetricKeyAttestor.unauthorized("registration id '" + registrationId + "' is enrolled for "
          + enrollment.attestation().kind() + " attestation, not TPM");
    }
    if (!MessageDigest.isEqual(pinned.endorsementKey(), tpm.endorsementKey())) {
      throw SymmetricKeyAttestor.unauthorized("the endorsement key is not the one enrolled for '" + registrationId + "'");
    }
    return enrollment;
  }
}
