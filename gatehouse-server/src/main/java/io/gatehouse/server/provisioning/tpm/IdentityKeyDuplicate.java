package io.gatehouse.server.provisioning.tpm;

import static io.gatehouse.server.provisioning.tpm.TpmConstants.ALG_HMAC;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ALG_KEYEDHASH;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ALG_SHA256;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ATTR_NO_DA;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ATTR_SIGN;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ATTR_USER_WITH_AUTH;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.SHA256_BYTES;

import java.security.SecureRandom;

/**
 * An HMAC-SHA256 key made outside the TPM and wrapped for TPM2_Import under one storage root key
 * (TPM 2.0 Part 1 §23.3, duplication with an inner and an outer wrapper).
 *
 * <p>The key's public area has an empty authPolicy on purpose: TPM2_Duplicate needs a policy, so
 * with no policy the imported key can never be duplicated out of the TPM again. (Microsoft's
 * sample sets the policy to PolicyCommandCode(Duplicate), which would let anyone with access to
 * the TPM export the key in the clear.)
 *
 * @param publicArea the key's TPM2B_PUBLIC
 * @param name the key's TPM Name
 * @param duplicate the TPM2B_PRIVATE (inner-wrapped sensitive area, then outer-wrapped to the SRK)
 * @param encryptedSeed the TPM2B_ENCRYPTED_SECRET (RSA-OAEP to the storage root key, label DUPLICATE)
 */
record IdentityKeyDuplicate(byte[] publicArea, byte[] name, byte[] duplicate, byte[] encryptedSeed) {
  /** sign | userWithAuth | noDA: an HMAC key used with an empty password, not fixed to a TPM (it is imported). */
  static final int ATTRIBUTES = ATTR_SIGN | ATTR_USER_WITH_AUTH | ATTR_NO_DA;

  static IdentityKeyDuplicate wrap(RsaStorageKey storageRootKey, byte[] hmacKey, byte[] innerKey, SecureRandom random) {
    // The obfuscation value: the public area carries only H(seedValue || key), never the key's hash alone.
    byte[] seedValue = new byte[SHA256_BYTES];
    random.nextBytes(seedValue);
    byte[] tpmtPublic = new TpmWriter()
        .u16(ALG_KEYEDHASH).u16(ALG_SHA256).u32(ATTRIBUTES)
        .sized(new byte[0])                       // authPolicy: none, see above
        .u16(ALG_HMAC).u16(ALG_SHA256)            // TPMT_KEYEDHASH_SCHEME: HMAC with SHA-256
        .sized(RsaStorageKey.sha256(seedValue, hmacKey))
        .toBytes();
    byte[] name = new TpmWriter().u16(ALG_SHA256).raw(RsaStorageKey.sha256(tpmtPublic)).toBytes();

    byte[] sensitive = new TpmWriter()
        .u16(ALG_KEYEDHASH).sized(new byte[0]).sized(seedValue).sized(hmacKey)
        .toBytes();
    byte[] encodedSensitive = TpmWriter.sizedBytes(sensitive);

    // Inner wrapper: integrity over the sensitive area and the Name, then AES-CFB under the inner key.
    byte[] innerIntegrity = RsaStorageKey.sha256(encodedSensitive, name);
    byte[] innerWrapped = TpmCrypto.aesCfbEncrypt(innerKey,
        new TpmWriter().sized(innerIntegrity).raw(encodedSensitive).toBytes());

    // Outer wrapper: a seed only the storage root key can decrypt, keys derived from it and the Name.
    byte[] seed = new byte[SHA256_BYTES];
    random.nextBytes(seed);
    byte[] encryptedSeed = TpmCrypto.rsaOaepEncrypt(storageRootKey.publicKey(), "DUPLICATE", seed);
    byte[] symmetricKey = TpmCrypto.kdfa(seed, "STORAGE", name, new byte[0], storageRootKey.symmetricKeyBits());
    byte[] outerWrapped = TpmCrypto.aesCfbEncrypt(symmetricKey, innerWrapped);
    byte[] hmacKeyOuter = TpmCrypto.kdfa(seed, "INTEGRITY", new byte[0], new byte[0], SHA256_BYTES * 8);
    byte[] outerIntegrity = TpmCrypto.hmac(hmacKeyOuter, outerWrapped, name);

    byte[] privateArea = new TpmWriter().sized(outerIntegrity).raw(outerWrapped).toBytes();
    return new IdentityKeyDuplicate(TpmWriter.sizedBytes(tpmtPublic), name, TpmWriter.sizedBytes(privateArea),
        TpmWriter.sizedBytes(encryptedSeed));
  }
}
