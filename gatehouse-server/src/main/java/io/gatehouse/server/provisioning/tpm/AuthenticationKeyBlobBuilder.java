package io.gatehouse.server.provisioning.tpm;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.server.provisioning.TpmChallenges;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Builds the DPS {@code authenticationKey} blob for one TPM (azure-iot-facts §4.4 item 3) in
 * software: no TPM on the server. Every random value (seeds, inner key, obfuscation value) comes
 * from the {@link SecureRandom} given here.
 *
 * <p>Why not TSS.Java's {@code Tss.createActivationCredential} / {@code createDuplicationBlob}:
 * they draw their seeds and the inner key from {@code java.util.Random}, whose state can be
 * recovered from its output, which would let a device that sees its own blob predict the seeds of
 * the blobs made after it, and so read other devices' keys.
 */
public final class AuthenticationKeyBlobBuilder implements TpmChallenges {
  /** The identity key is an HMAC-SHA256 key of 32 bytes, like Gatehouse's device keys. */
  public static final int IDENTITY_KEY_BYTES = 32;
  /** The inner wrapper key: AES-128, as Azure's SDKs expect (they size the AES key from it). */
  static final int INNER_KEY_BYTES = 16;
  /** The last field's plain text; DPS puts a short URI there, and SDKs decrypt it inside the TPM. */
  public static final int MAX_OPAQUE_BYTES = 48;

  private final SecureRandom random;

  public AuthenticationKeyBlobBuilder(SecureRandom random) {
    this.random = random;
  }

  /** The blob DPS answers with: the key alone, no opaque data (the clients ignore that field). */
  @Override
  public byte[] authenticationKey(byte[] endorsementKey, byte[] storageRootKey, byte[] key) {
    return build(endorsementKey, storageRootKey, key, new byte[0]).bytes();
  }

  /**
   * @param endorsementKey the TPM's EK as a marshalled TPM2B_PUBLIC (the DPS body's {@code tpm.endorsementKey})
   * @param storageRootKey the TPM's SRK as a marshalled TPM2B_PUBLIC ({@code tpm.storageRootKey})
   * @param identityKey the 32-byte HMAC key the TPM is to hold (the device's symmetric key)
   * @param opaqueData up to 48 bytes carried encrypted in the last field (may be empty)
   * @throws InvalidInputException if a key is malformed or of the wrong type or size
   */
  public AuthenticationKeyBlob build(byte[] endorsementKey, byte[] storageRootKey, byte[] identityKey,
      byte[] opaqueData) {
    RsaStorageKey ek = RsaStorageKey.parse("endorsementKey", endorsementKey);
    RsaStorageKey srk = RsaStorageKey.parse("storageRootKey", storageRootKey);
    if (identityKey == null || identityKey.length != IDENTITY_KEY_BYTES) {
      throw new InvalidInputException("identity key must be " + IDENTITY_KEY_BYTES + " bytes, got "
          + (identityKey == null ? "none" : identityKey.length));
    }
    if (opaqueData.length > MAX_OPAQUE_BYTES) {
      throw new InvalidInputException("opaque data is " + opaqueData.length + " bytes; at most " + MAX_OPAQUE_BYTES);
    }
    byte[] innerKey = new byte[INNER_KEY_BYTES];
    random.nextBytes(innerKey);
    try {
      IdentityKeyDuplicate duplicate = IdentityKeyDuplicate.wrap(srk, identityKey, innerKey, random);
      MakeCredential credential = MakeCredential.protect(ek, srk.name(), innerKey, random);
      byte[] opaque = TpmWriter.sizedBytes(TpmCrypto.aesCfbEncrypt(innerKey, opaqueData));
      byte[] blob = new TpmWriter()
          .raw(credential.credentialBlob())
          .raw(credential.encryptedSeed())
          .raw(duplicate.duplicate())
          .raw(duplicate.encryptedSeed())
          .raw(duplicate.publicArea())
          .raw(opaque)
          .toBytes();
      return new AuthenticationKeyBlob(blob, duplicate.name());
    } finally {
      Arrays.fill(innerKey, (byte) 0);
    }
  }
}
