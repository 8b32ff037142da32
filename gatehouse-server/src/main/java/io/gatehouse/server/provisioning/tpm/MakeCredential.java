package io.gatehouse.server.provisioning.tpm;

import static io.gatehouse.server.provisioning.tpm.TpmConstants.SHA256_BYTES;

import java.security.SecureRandom;

/**
 * TPM2_MakeCredential done in software (TPM 2.0 Part 1 §24 and Part 3 §12.6): protects a short
 * credential so that only the TPM holding the endorsement key can recover it, and only while it
 * also holds an object with the given Name (here: the storage root key). The TPM recovers it with
 * TPM2_ActivateCredential.
 *
 * @param credentialBlob the TPM2B_ID_OBJECT
 * @param encryptedSeed the TPM2B_ENCRYPTED_SECRET (RSA-OAEP to the endorsement key, label IDENTITY)
 */
record MakeCredential(byte[] credentialBlob, byte[] encryptedSeed) {

  static MakeCredential protect(RsaStorageKey endorsementKey, byte[] objectName, byte[] credential,
      SecureRandom random) {
    byte[] seed = new byte[SHA256_BYTES];
    random.nextBytes(seed);
    byte[] encryptedSeed = TpmCrypto.rsaOaepEncrypt(endorsementKey.publicKey(), "IDENTITY", seed);

    byte[] symmetricKey = TpmCrypto.kdfa(seed, "STORAGE", objectName, new byte[0], endorsementKey.symmetricKeyBits());
    // The whole TPM2B_DIGEST, size field included, is encrypted (Part 2, TPMS_ID_OBJECT.encIdentity).
    byte[] encIdentity = TpmCrypto.aesCfbEncrypt(symmetricKey, TpmWriter.sizedBytes(credential));
    byte[] hmacKey = TpmCrypto.kdfa(seed, "INTEGRITY", new byte[0], new byte[0], SHA256_BYTES * 8);
    byte[] integrity = TpmCrypto.hmac(hmacKey, encIdentity, objectName);

    byte[] idObject = new TpmWriter().sized(integrity).raw(encIdentity).toBytes();
    return new MakeCredential(TpmWriter.sizedBytes(idObject), TpmWriter.sizedBytes(encryptedSeed));
  }
}
