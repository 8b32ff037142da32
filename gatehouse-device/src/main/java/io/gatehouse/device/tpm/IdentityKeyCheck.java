package io.gatehouse.device.tpm;

import io.gatehouse.device.tpm.ActivationException.Reason;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPMS_KEYEDHASH_PARMS;
import tss.tpm.TPMS_SCHEME_HMAC;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_ALG_ID;

/**
 * What the device accepts as its identity key before it imports one: an HMAC-SHA256 signing key
 * that can never leave the TPM again. The last point matters: TPM2_Duplicate is authorised only
 * through the key's authPolicy, so a key with a policy (Microsoft's DPS sample sets
 * PolicyCommandCode(Duplicate)) could be duplicated by anyone using the TPM, with no outer
 * wrapper, which hands out the key in the clear. An empty policy can never be satisfied.
 */
final class IdentityKeyCheck {
  private IdentityKeyCheck() {}

  static void check(TPMT_PUBLIC key) {
    if (!TPM_ALG_ID.KEYEDHASH.equals(key.type()) || !(key.parameters instanceof TPMS_KEYEDHASH_PARMS parms)
        || !(parms.scheme instanceof TPMS_SCHEME_HMAC hmac) || !TPM_ALG_ID.SHA256.equals(hmac.hashAlg)) {
      throw unsafe("the identity key is not an HMAC-SHA256 key (type " + key.type().name() + ")");
    }
    if (!TPM_ALG_ID.SHA256.equals(key.nameAlg)) {
      throw unsafe("the identity key's name algorithm is " + key.nameAlg.name() + ", not SHA256");
    }
    int attributes = key.objectAttributes.toInt();
    if ((attributes & TPMA_OBJECT.sign.toInt()) == 0 || (attributes & TPMA_OBJECT.decrypt.toInt()) != 0
        || (attributes & TPMA_OBJECT.restricted.toInt()) != 0) {
      throw unsafe(String.format("the identity key has attributes 0x%08x; an unrestricted signing key (sign, not "
          + "decrypt) is expected", attributes));
    }
    if (key.authPolicy != null && key.authPolicy.length > 0) {
      throw unsafe("the identity key has an authorization policy, which would let anyone with access to this TPM "
          + "duplicate it out of the TPM; refusing to import it (a provisioning service should send an empty policy)");
    }
  }

  private static ActivationException unsafe(String message) {
    return new ActivationException(Reason.UNSAFE_IDENTITY_KEY, message);
  }
}
