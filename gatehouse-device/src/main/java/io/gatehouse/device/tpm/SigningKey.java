package io.gatehouse.device.tpm;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import tss.tpm.TPMS_ECC_POINT;
import tss.tpm.TPMS_NULL_SIG_SCHEME;
import tss.tpm.TPMS_SIGNATURE_ECDSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_TK_HASHCHECK;
import tss.tpm.TPMU_SIGNATURE;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_RH;

/** The ECC P-256 proof-of-possession key: its public half as a JDK key, signatures as the JDK verifies them. */
final class SigningKey {
  static final int DIGEST_BYTES = 32;

  private SigningKey() {}

  static ECPublicKey publicKey(TPMT_PUBLIC area) {
    if (!(area.unique instanceof TPMS_ECC_POINT point) || point.x == null || point.y == null) {
      throw new IllegalStateException("the key at " + PersistentKeys.hex(KeyTemplates.SIGNING_KEY_HANDLE)
          + " is not an ECC key; remove it (tpm2_evictcontrol) to let Gatehouse create its signing key there");
    }
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
      ECPoint w = new ECPoint(new BigInteger(1, point.x), new BigInteger(1, point.y));
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, p256));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the TPM's signing key is not a valid P-256 point: " + e.getMessage(), e);
    }
  }

  /** Signs a SHA-256 digest inside the TPM; returns the DER ECDSA signature ({@code SHA256withECDSA} verifies it). */
  static byte[] sign(TpmCommands tpm, byte[] digest) {
    if (digest == null || digest.length != DIGEST_BYTES) {
      throw new IllegalArgumentException("sign takes a SHA-256 digest (32 bytes), got "
          + (digest == null ? "none" : digest.length + " bytes"));
    }
    // An unrestricted key signs any digest; the NULL ticket says it was not hashed by the TPM.
    TPMT_TK_HASHCHECK noTicket = new TPMT_TK_HASHCHECK(TPM_HANDLE.from(TPM_RH.NULL), new byte[0]);
    TPMU_SIGNATURE signature = tpm.run("Sign", t -> t.Sign(KeyTemplates.handle(KeyTemplates.SIGNING_KEY_HANDLE),
        digest, new TPMS_NULL_SIG_SCHEME(), noTicket), "signing with the key at "
        + PersistentKeys.hex(KeyTemplates.SIGNING_KEY_HANDLE));
    if (!(signature instanceof TPMS_SIGNATURE_ECDSA ecdsa)) {
      throw new IllegalStateException("the TPM returned a " + signature.getClass().getSimpleName()
          + " signature instead of ECDSA");
    }
    try {
      return new DERSequence(new ASN1Integer[] {
          new ASN1Integer(new BigInteger(1, ecdsa.signatureR)), new ASN1Integer(new BigInteger(1, ecdsa.signatureS))})
          .getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode an ECDSA signature", e);
    }
  }
}
