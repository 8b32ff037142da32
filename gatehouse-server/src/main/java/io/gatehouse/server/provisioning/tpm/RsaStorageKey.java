package io.gatehouse.server.provisioning.tpm;

import static io.gatehouse.server.provisioning.tpm.TpmConstants.ALG_AES;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ALG_CFB;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ALG_NULL;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ALG_RSA;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ALG_SHA256;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ATTR_DECRYPT;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ATTR_RESTRICTED;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.ATTR_SIGN;
import static io.gatehouse.server.provisioning.tpm.TpmConstants.algorithmName;

import io.gatehouse.core.error.InvalidInputException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;

/**
 * The public area of a TPM's RSA endorsement key or storage root key, as a device sends it
 * (TPM2B_PUBLIC, base64 in the DPS body), parsed and checked for what MakeCredential and
 * duplication need: a restricted decryption key with an AES-CFB symmetric definition and SHA-256
 * as its name algorithm.
 *
 * @param name the TPM Name: nameAlg followed by SHA-256 over the marshalled TPMT_PUBLIC
 */
public record RsaStorageKey(
    String role, RSAPublicKey publicKey, int keyBits, int symmetricKeyBits, byte[] authPolicy, byte[] name) {

  /** RSA sizes TPMs use for endorsement and storage keys (TCG EK profile: 2048, high range 3072). */
  private static final int[] KEY_SIZES = {2048, 3072};
  private static final int MAX_POLICY_BYTES = 64;
  private static final int DEFAULT_EXPONENT = 65537;

  public RsaStorageKey {
    authPolicy = authPolicy.clone();
    name = name.clone();
  }

  @Override
  public byte[] authPolicy() {
    return authPolicy.clone();
  }

  @Override
  public byte[] name() {
    return name.clone();
  }

  /**
   * @param role what the key is, for messages: e.g. {@code endorsementKey}
   * @param tpm2bPublic the marshalled TPM2B_PUBLIC
   * @throws InvalidInputException naming the field that is wrong
   */
  public static RsaStorageKey parse(String role, byte[] tpm2bPublic) {
    if (tpm2bPublic == null || tpm2bPublic.length == 0) {
      throw new InvalidInputException(role + ": no TPM2B_PUBLIC was given");
    }
    TpmReader outer = new TpmReader(tpm2bPublic, role);
    TpmReader in = outer.sizedStructure("TPM2B_PUBLIC");
    outer.expectEnd("TPM2B_PUBLIC");
    int start = in.position();

    int type = in.u16("type");
    if (type != ALG_RSA) {
      throw in.fail("has key type " + algorithmName(type) + "; an RSA key is needed (DPS TPM attestation uses the RSA "
          + "endorsement key at 0x81010001 and the RSA storage root key at 0x81000001)");
    }
    int nameAlg = in.u16("nameAlg");
    if (nameAlg != ALG_SHA256) {
      throw in.fail("has name algorithm " + algorithmName(nameAlg) + "; only SHA-256 is supported");
    }
    int attributes = in.u32("objectAttributes");
    if ((attributes & ATTR_RESTRICTED) == 0 || (attributes & ATTR_DECRYPT) == 0 || (attributes & ATTR_SIGN) != 0) {
      throw in.fail(String.format("has object attributes 0x%08x; a restricted decryption key (restricted, decrypt, "
          + "not sign) is needed", attributes));
    }
    byte[] authPolicy = in.sized("authPolicy", MAX_POLICY_BYTES);
    int symmetric = in.u16("symmetric algorithm");
    if (symmetric != ALG_AES) {
      throw in.fail("has symmetric algorithm " + algorithmName(symmetric) + "; AES (CFB) is needed");
    }
    int symmetricBits = in.u16("symmetric key bits");
    int mode = in.u16("symmetric mode");
    if (mode != ALG_CFB || (symmetricBits != 128 && symmetricBits != 256)) {
      throw in.fail("has symmetric definition AES-" + symmetricBits + "-" + algorithmName(mode)
          + "; AES-128-CFB or AES-256-CFB is needed");
    }
    int scheme = in.u16("scheme");
    if (scheme != ALG_NULL) {
      throw in.fail("has scheme " + algorithmName(scheme) + "; a storage or endorsement key has the NULL scheme");
    }
    int keyBits = in.u16("keyBits");
    if (Arrays.stream(KEY_SIZES).noneMatch(size -> size == keyBits)) {
      throw in.fail("is an RSA-" + keyBits + " key; RSA-2048 or RSA-3072 is needed");
    }
    int exponent = in.u32("exponent");
    byte[] modulus = in.sized("RSA modulus", keyBits / 8);
    if (modulus.length != keyBits / 8) {
      throw in.fail("modulus is " + modulus.length + " bytes; an RSA-" + keyBits + " key has " + keyBits / 8);
    }
    if ((modulus[0] & 0x80) == 0) {
      throw in.fail("modulus is shorter than " + keyBits + " bits (its top bit is clear)");
    }
    in.expectEnd("TPMT_PUBLIC");
    byte[] tpmtPublic = in.slice(start, in.position());

    RSAPublicKey publicKey = rsaKey(modulus, exponent == 0 ? DEFAULT_EXPONENT : Integer.toUnsignedLong(exponent), in);
    byte[] name = new TpmWriter().u16(ALG_SHA256).raw(sha256(tpmtPublic)).toBytes();
    return new RsaStorageKey(role, publicKey, keyBits, symmetricBits, authPolicy, name);
  }

  private static RSAPublicKey rsaKey(byte[] modulus, long exponent, TpmReader in) {
    if (exponent < 3 || exponent % 2 == 0) {
      throw in.fail("has RSA exponent " + exponent + ", which is not a valid public exponent");
    }
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus), BigInteger.valueOf(exponent)));
    } catch (GeneralSecurityException e) {
      throw in.fail("is not a usable RSA public key: " + e.getMessage());
    }
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }
}
