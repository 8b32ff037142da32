package io.gatehouse.device.tpm;

import io.gatehouse.device.keys.DeviceKeys;
import io.gatehouse.device.keys.KeyStoreKind;
import io.gatehouse.device.tpm.transport.TpmAddress;
import io.gatehouse.device.tpm.transport.TpmTransport;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Optional;
import tss.TpmHelpers;
import tss.tpm.TPM2B_PUBLIC;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_PT;
import tss.tpm.TPM_RH;
import tss.tpm.TPM_SU;

/**
 * A device identity held in a TPM 2.0. Opening it makes sure the TPM has its endorsement key
 * (0x81010001), storage root key (0x81000001) and P-256 signing key (0x81000101), creating each
 * the first time; the identity key (0x81000100) arrives from a provisioning service through
 * {@link #activateAndImport}. No private key ever leaves the TPM: this class asks the TPM to
 * compute HMACs and signatures and sees only their results.
 *
 * <p>One instance per TPM connection; calls are serialised.
 */
public final class TpmIdentity implements DeviceKeys {
  private static final String NO_IDENTITY_KEY = "this TPM holds no identity key yet: import one with activateAndImport "
      + "(the authentication key blob a provisioning service sends)";

  private final TpmCommands tpm;
  private final PersistentKeys keys;
  private final byte[] endorsementKey;
  private final byte[] storageRootKey;
  private final ECPublicKey signingPublicKey;
  private final int maxHmacInput;
  private final IdentityKeyImport importer;
  private volatile boolean hasIdentityKey;

  private TpmIdentity(TpmCommands tpm, SecureRandom random) {
    this.tpm = tpm;
    this.keys = new PersistentKeys(tpm);
    TPMT_PUBLIC ek = keys.ensurePrimary(KeyTemplates.EK_HANDLE, TPM_RH.ENDORSEMENT, KeyTemplates.endorsementKey(),
        "endorsement key");
    TPMT_PUBLIC srk = keys.ensurePrimary(KeyTemplates.SRK_HANDLE, TPM_RH.OWNER, KeyTemplates.storageRootKey(),
        "storage root key");
    requireRsa(ek, KeyTemplates.EK_HANDLE, "endorsement key");
    requireRsa(srk, KeyTemplates.SRK_HANDLE, "storage root key");
    this.endorsementKey = new TPM2B_PUBLIC(ek).toBytes();
    this.storageRootKey = new TPM2B_PUBLIC(srk).toBytes();
    this.signingPublicKey = SigningKey.publicKey(keys.ensureChild(KeyTemplates.SIGNING_KEY_HANDLE,
        KeyTemplates.SRK_HANDLE, KeyTemplates.signingKey(), "signing key"));
    this.maxHmacInput = tpm.run("GetCapability", t -> TpmHelpers.getTpmProperty(t, TPM_PT.INPUT_BUFFER));
    this.importer = new IdentityKeyImport(tpm, keys, random);
    this.hasIdentityKey = keys.read(KeyTemplates.IDENTITY_KEY_HANDLE).isPresent();
  }

  /** Opens the TPM at {@code address} ({@code swtpm://host:port} or {@code /dev/tpmrm0}). */
  public static TpmIdentity open(String address) {
    return open(TpmAddress.parse(address).open());
  }

  /** Takes over {@code transport}: closing the identity closes it. */
  public static TpmIdentity open(TpmTransport transport) {
    TpmCommands tpm = new TpmCommands(transport);
    try {
      if (transport.isSimulator()) {
        startUp(tpm);
      }
      return new TpmIdentity(tpm, new SecureRandom());
    } catch (RuntimeException e) {
      tpm.close();
      throw e;
    }
  }

  @Override
  public KeyStoreKind kind() {
    return KeyStoreKind.TPM;
  }

  /** The EK's public area as a marshalled TPM2B_PUBLIC: DPS's {@code tpm.endorsementKey}, before base64. */
  public byte[] endorsementKey() {
    return endorsementKey.clone();
  }

  /** The SRK's public area as a marshalled TPM2B_PUBLIC: DPS's {@code tpm.storageRootKey}, before base64. */
  public byte[] storageRootKey() {
    return storageRootKey.clone();
  }

  /** The default registration id: see {@link RegistrationIds}. */
  public String registrationId() {
    return RegistrationIds.fromEndorsementKey(endorsementKey);
  }

  /** The EK certificate from the TPM's NV memory, if the manufacturer stored one there. */
  public Optional<X509Certificate> endorsementCertificate() {
    return EndorsementCertificates.read(tpm);
  }

  /**
   * Imports the identity key from a DPS {@code authenticationKey} blob and makes it persistent,
   * replacing an earlier one. Nothing changes if the blob is refused.
   *
   * @throws ActivationException saying why the blob was refused
   */
  public void activateAndImport(byte[] authenticationKeyBlob) {
    importer.run(authenticationKeyBlob);
    hasIdentityKey = true;
  }

  public boolean hasIdentityKey() {
    return hasIdentityKey;
  }

  /** HMAC-SHA256 computed by the TPM with the identity key; long input goes through an HMAC sequence. */
  @Override
  public byte[] hmac(byte[] data) {
    if (!hasIdentityKey) {
      throw new IllegalStateException(NO_IDENTITY_KEY);
    }
    TPM_HANDLE key = KeyTemplates.handle(KeyTemplates.IDENTITY_KEY_HANDLE);
    if (data.length <= maxHmacInput) {
      return tpm.run("HMAC", t -> t.HMAC(key, data, TPM_ALG_ID.SHA256), "HMAC with the identity key at 0x81000100");
    }
    return tpm.exclusive(() -> {
      TPM_HANDLE sequence = tpm.run("HMAC_Start", t -> t.HMAC_Start(key, new byte[0], TPM_ALG_ID.SHA256));
      boolean completed = false;
      try {
        int at = 0;
        for (; data.length - at > maxHmacInput; at += maxHmacInput) {
          byte[] part = Arrays.copyOfRange(data, at, at + maxHmacInput);
          tpm.run("SequenceUpdate", t -> {
            t.SequenceUpdate(sequence, part);
            return null;
          });
        }
        byte[] last = Arrays.copyOfRange(data, at, data.length);
        byte[] mac = tpm.run("SequenceComplete",
            t -> t.SequenceComplete(sequence, last, TPM_HANDLE.from(TPM_RH.NULL)).result);
        completed = true;
        return mac;
      } finally {
        if (!completed) {
          tpm.flushQuietly(sequence);
        }
      }
    });
  }

  @Override
  public ECPublicKey signingPublicKey() {
    return signingPublicKey;
  }

  @Override
  public byte[] sign(byte[] sha256Digest) {
    return SigningKey.sign(tpm, sha256Digest);
  }

  /** Where the TPM is, e.g. {@code swtpm 127.0.0.1:2321}. */
  public String describeTpm() {
    return tpm.describeTpm();
  }

  @Override
  public void close() {
    tpm.close();
  }

  @Override
  public String toString() {
    return "TpmIdentity[" + tpm.describeTpm() + ", registrationId=" + registrationId() + "]";
  }

  /**
   * A simulator may expect its client to send TPM2_Startup. swtpm started with
   * {@code --flags not-need-init,startup-clear} has done it, and answers TPM_RC_INITIALIZE.
   */
  private static void startUp(TpmCommands tpm) {
    TpmCommands.Outcome<Object> outcome = tpm.attempt("Startup", t -> {
      t.Startup(TPM_SU.CLEAR);
      return null;
    });
    if (outcome.succeeded() || outcome.error() == ResponseCodes.INITIALIZE) {
      return;
    }
    if (outcome.error() == ResponseCodes.FAILURE) {
      throw new TpmCommandException("Startup", outcome.responseCode(), tpm.describeTpm() + " answers TPM_RC_FAILURE: "
          + "swtpm was started without initialising its TPM; start it with --flags not-need-init,startup-clear");
    }
    throw new TpmCommandException("Startup", outcome.responseCode(), "TPM2_Startup failed on " + tpm.describeTpm()
        + ": " + ResponseCodes.describe(outcome.responseCode()));
  }

  private static void requireRsa(TPMT_PUBLIC key, int handle, String role) {
    if (!TPM_ALG_ID.RSA.equals(key.type())) {
      throw new IllegalStateException("the " + role + " at " + PersistentKeys.hex(handle) + " is a " + key.type().name()
          + " key; DPS TPM attestation needs an RSA key there");
    }
  }
}
