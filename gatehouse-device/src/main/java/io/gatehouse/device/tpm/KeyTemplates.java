package io.gatehouse.device.tpm;

import java.util.HexFormat;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPMS_ECC_PARMS;
import tss.tpm.TPMS_ECC_POINT;
import tss.tpm.TPMS_NULL_ASYM_SCHEME;
import tss.tpm.TPMS_NULL_KDF_SCHEME;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SIG_SCHEME_ECDSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_ECC_CURVE;
import tss.tpm.TPM_HANDLE;

/**
 * Where the keys live and what they are made from. The EK and SRK templates are the TCG's
 * defaults (EK Credential Profile 2.0, template L-1; Provisioning Guidance, SRK), with the
 * 256-byte zero unique field, so a TPM whose manufacturer made the EK (and its certificate) from
 * the same template yields the same key when we recreate it.
 */
final class KeyTemplates {
  /** TCG: RSA-2048 endorsement key. */
  static final int EK_HANDLE = 0x81010001;
  /** TCG: storage root key. */
  static final int SRK_HANDLE = 0x81000001;
  /** Where Azure's SDKs and Gatehouse keep the identity key DPS sends. */
  static final int IDENTITY_KEY_HANDLE = 0x81000100;
  /** Gatehouse's ECC P-256 proof-of-possession key, a child of the SRK. */
  static final int SIGNING_KEY_HANDLE = 0x81000101;
  /** TCG: the RSA-2048 EK certificate's NV index. */
  static final int EK_CERTIFICATE_INDEX = 0x01C00002;

  /** PolicySecret(TPM_RH_ENDORSEMENT): using the EK needs the endorsement hierarchy's authorization. */
  private static final String EK_POLICY_HEX = "837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa";

  private static final TPMT_SYM_DEF_OBJECT AES_128_CFB = new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.AES, 128, TPM_ALG_ID.CFB);

  private KeyTemplates() {}

  static byte[] ekPolicy() {
    return HexFormat.of().parseHex(EK_POLICY_HEX);
  }

  static TPM_HANDLE handle(int value) {
    return TPM_HANDLE.from(value);
  }

  static TPMT_PUBLIC endorsementKey() {
    return new TPMT_PUBLIC(TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.sensitiveDataOrigin,
            TPMA_OBJECT.adminWithPolicy, TPMA_OBJECT.restricted, TPMA_OBJECT.decrypt),
        ekPolicy(),
        new TPMS_RSA_PARMS(AES_128_CFB, new TPMS_NULL_ASYM_SCHEME(), 2048, 0),
        new TPM2B_PUBLIC_KEY_RSA(new byte[256]));
  }

  static TPMT_PUBLIC storageRootKey() {
    return new TPMT_PUBLIC(TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.sensitiveDataOrigin,
            TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA, TPMA_OBJECT.restricted, TPMA_OBJECT.decrypt),
        new byte[0],
        new TPMS_RSA_PARMS(AES_128_CFB, new TPMS_NULL_ASYM_SCHEME(), 2048, 0),
        new TPM2B_PUBLIC_KEY_RSA(new byte[256]));
  }

  /** ECDSA P-256 with SHA-256, generated inside the TPM and bound to it (fixedTPM, fixedParent). */
  static TPMT_PUBLIC signingKey() {
    return new TPMT_PUBLIC(TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.sensitiveDataOrigin,
            TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA, TPMA_OBJECT.sign),
        new byte[0],
        new TPMS_ECC_PARMS(new TPMT_SYM_DEF_OBJECT(), new TPMS_SIG_SCHEME_ECDSA(TPM_ALG_ID.SHA256),
            TPM_ECC_CURVE.NIST_P256, new TPMS_NULL_KDF_SCHEME()),
        new TPMS_ECC_POINT(new byte[0], new byte[0]));
  }
}
