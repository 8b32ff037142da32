package io.gatehouse.device.tpm;

import io.gatehouse.device.tpm.ActivationException.Reason;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.tpm.TPM2B_PRIVATE;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SYM_DEF;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_RH;
import tss.tpm.TPM_SE;

/**
 * Imports the identity key a provisioning service wrapped for this TPM (azure-iot-facts §4.4 item
 * 4): a policy session satisfying the EK's PolicySecret(endorsement), ActivateCredential to
 * recover the inner wrapper key, Import under the SRK, Load, and EvictControl to 0x81000100. The
 * new key is loaded before the earlier one is removed, so a blob that fails leaves the device with
 * the key it had.
 */
final class IdentityKeyImport {
  private static final Logger log = LoggerFactory.getLogger(IdentityKeyImport.class);
  private final TpmCommands tpm;
  private final PersistentKeys keys;
  private final SecureRandom random;

  IdentityKeyImport(TpmCommands tpm, PersistentKeys keys, SecureRandom random) {
    this.tpm = tpm;
    this.keys = keys;
    this.random = random;
  }

  void run(byte[] authenticationKeyBlob) {
    ActivationBlob blob = ActivationBlob.parse(authenticationKeyBlob);
    IdentityKeyCheck.check(blob.identityKey());
    tpm.exclusive(() -> {
      byte[] innerKey = activateCredential(blob);
      TPM_HANDLE loaded = null;
      try {
        TPMT_SYM_DEF_OBJECT innerWrapper = new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.AES, innerKey.length * 8, TPM_ALG_ID.CFB);
        TPM2B_PRIVATE imported = importOrExplain(blob, innerKey, innerWrapper);
        loaded = tpm.run("Load", t -> t.Load(KeyTemplates.handle(KeyTemplates.SRK_HANDLE), imported,
            blob.identityKey()), "loading the imported identity key under the storage root key");
        keys.persistReplacing(loaded, KeyTemplates.IDENTITY_KEY_HANDLE, "identity key");
        // The Name identifies the key (a hash of its public area) without revealing anything about it.
        log.info("TPM identity key imported handle=0x81000100 name={} tpm={}",
            HexFormat.of().formatHex(name(blob.identityKey())), tpm.describeTpm());
        return null;
      } finally {
        Arrays.fill(innerKey, (byte) 0);
        tpm.flushQuietly(loaded);
      }
    });
  }

  /** The TPM Name of a SHA-256 object: 0x000b, then SHA-256 over its marshalled public area. */
  static byte[] name(TPMT_PUBLIC publicArea) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicArea.toBytes());
      byte[] name = new byte[2 + digest.length];
      name[1] = 0x0b;
      System.arraycopy(digest, 0, name, 2, digest.length);
      return name;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }

  private byte[] activateCredential(ActivationBlob blob) {
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    TPM_HANDLE session = tpm.run("StartAuthSession", t -> t.StartAuthSession(TPM_HANDLE.from(TPM_RH.NULL),
        TPM_HANDLE.from(TPM_RH.NULL), nonce, new byte[0], TPM_SE.POLICY,
        new TPMT_SYM_DEF(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL), TPM_ALG_ID.SHA256).handle,
        "starting the policy session the endorsement key needs");
    try {
      tpm.run("PolicySecret", t -> t.PolicySecret(TPM_HANDLE.from(TPM_RH.ENDORSEMENT), session, new byte[0],
          new byte[0], new byte[0], 0), "the endorsement hierarchy must have an empty authorization (the default)");
      TpmCommands.Outcome<byte[]> outcome = tpm.attempt("ActivateCredential", t -> t
          ._withSessions(TPM_HANDLE.pwSession(new byte[0]), session)
          .ActivateCredential(KeyTemplates.handle(KeyTemplates.SRK_HANDLE), KeyTemplates.handle(KeyTemplates.EK_HANDLE),
              blob.credential(), blob.credentialSeed()));
      if (!outcome.succeeded()) {
        throw new ActivationException(Reason.NOT_FOR_THIS_TPM, "this TPM cannot activate the credential in the "
            + "authentication key blob (ActivateCredential: " + ResponseCodes.describe(outcome.responseCode()) + "): "
            + "the blob was made for another TPM's endorsement key or storage root key, or altered on the way",
            new TpmCommandException("ActivateCredential", outcome.responseCode(), "ActivateCredential failed"));
      }
      byte[] innerKey = outcome.value();
      if (innerKey.length != 16 && innerKey.length != 32) {
        throw new ActivationException(Reason.MALFORMED_BLOB, "the blob's credential is " + innerKey.length
            + " bytes; an AES-128 or AES-256 inner wrapper key (16 or 32 bytes) is expected");
      }
      return innerKey;
    } finally {
      tpm.flushQuietly(session);
    }
  }

  private TPM2B_PRIVATE importOrExplain(ActivationBlob blob, byte[] innerKey, TPMT_SYM_DEF_OBJECT innerWrapper) {
    TpmCommands.Outcome<TPM2B_PRIVATE> outcome = tpm.attempt("Import", t -> t.Import(
        KeyTemplates.handle(KeyTemplates.SRK_HANDLE), innerKey, blob.identityKey(), new TPM2B_PRIVATE(blob.duplicate()),
        blob.duplicateSeed(), innerWrapper));
    if (!outcome.succeeded()) {
      throw new ActivationException(Reason.IMPORT_REFUSED, "the TPM refused to import the identity key (Import: "
          + ResponseCodes.describe(outcome.responseCode()) + "): its duplicate, seed or public area was altered, or "
          + "it was wrapped for another storage root key",
          new TpmCommandException("Import", outcome.responseCode(), "Import failed"));
    }
    return outcome.value();
  }
}
