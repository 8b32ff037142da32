package io.gatehouse.server.provisioning;

/**
 * Builds the DPS TPM {@code authenticationKey} blob: {@code key} (an HMAC-SHA256 key) wrapped so
 * that only the TPM holding the endorsement key can activate it and import it under its storage
 * root key (MakeCredential to the EK bound to the SRK's name, plus a duplication blob; see
 * azure-iot-facts §4.4). The implementation lives in {@code io.gatehouse.server.provisioning.tpm}.
 */
@FunctionalInterface
public interface TpmChallenges {
  /**
   * @param endorsementKey the EK's marshalled TPM2B_PUBLIC, as the device sent it
   * @param storageRootKey the SRK's marshalled TPM2B_PUBLIC, as the device sent it
   * @param key the 32-byte HMAC key to hand to the TPM
   * @throws io.gatehouse.core.error.InvalidInputException if a public key is malformed or of an
   *     unsupported type; the message says which and why
   * @throws UnsupportedOperationException if this build cannot build blobs at all
   */
  byte[] authenticationKey(byte[] endorsementKey, byte[] storageRootKey, byte[] key);

  /** Until the TPM blob builder is installed: every TPM registration is refused with 501 and says why. */
  static TpmChallenges unavailable() {
    return (ek, srk, key) -> {
      throw new UnsupportedOperationException("TPM attestation is not available in this build: the "
          + "authenticationKey builder (io.gatehouse.server.provisioning.tpm) is not installed");
    };
  }
}
