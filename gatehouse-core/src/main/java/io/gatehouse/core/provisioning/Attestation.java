package io.gatehouse.core.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.x509.Certificates;
import java.util.Arrays;
import java.util.Base64;

/** How a device proves that an enrollment admits it. */
public sealed interface Attestation {
  /** {@code symmetric-key}, {@code x509} or {@code tpm}: what the registry records for a provisioned device. */
  String kind();

  /**
   * Two base64 keys, 16 to 64 bytes each. For an individual enrollment the device signs with one
   * of them; for a group with a key derived from one of them ({@link GroupKeys}). Secrets:
   * {@link #toString()} never shows them.
   */
  record SymmetricKey(String primaryKey, String secondaryKey) implements Attestation {
    public SymmetricKey {
      // Same rules as a device's keys, so a device key derived or copied from these is always valid.
      new Authentication.SymmetricKeys(primaryKey, secondaryKey);
    }

    public byte[] primaryKeyBytes() {
      return Base64.getDecoder().decode(primaryKey);
    }

    public byte[] secondaryKeyBytes() {
      return Base64.getDecoder().decode(secondaryKey);
    }

    @Override
    public String kind() {
      return "symmetric-key";
    }

    @Override
    public String toString() {
      return "SymmetricKey[redacted]";
    }
  }

  /** An individual device's client certificate, pinned by SHA-256 thumbprint (primary and optional secondary). */
  record X509Thumbprints(Authentication.X509Thumbprints thumbprints) implements Attestation {
    public X509Thumbprints {
      if (thumbprints == null) {
        throw new InvalidInputException("attestation.primaryThumbprint is missing");
      }
    }

    @Override
    public String kind() {
      return "x509";
    }
  }

  /**
   * A group of devices whose client certificates chain to a CA registered with the gateway
   * ({@code /certificates/{caName}}); a member's leaf certificate's subject CN is its registration id.
   */
  record X509Ca(String caName) implements Attestation {
    public X509Ca {
      IdentityIds.requireValid("attestation.caName", caName);
    }

    @Override
    public String kind() {
      return "x509";
    }
  }

  /**
   * A TPM, known by its endorsement key (the marshalled TPM2B_PUBLIC, as the device sends it) and,
   * optionally, the TPM maker's certificate for it. Without a certificate the EK is pinned as
   * given: whoever enrolled it vouches that it belongs to a real TPM.
   */
  record Tpm(byte[] endorsementKey, String ekCertificatePem) implements Attestation {
    public static final int MAX_ENDORSEMENT_KEY_BYTES = 1024;

    public Tpm {
      if (endorsementKey == null || endorsementKey.length == 0) {
        throw new InvalidInputException("attestation.endorsementKey is missing; give the EK's TPM2B_PUBLIC in base64");
      }
      if (endorsementKey.length > MAX_ENDORSEMENT_KEY_BYTES) {
        throw new InvalidInputException("attestation.endorsementKey is " + endorsementKey.length
            + " bytes; a TPM2B_PUBLIC is at most " + MAX_ENDORSEMENT_KEY_BYTES);
      }
      endorsementKey = endorsementKey.clone();
      if (ekCertificatePem != null) {
        Certificates.parsePem(ekCertificatePem); // the EK certificate, then any intermediates
      }
    }

    @Override
    public byte[] endorsementKey() {
      return endorsementKey.clone();
    }

    /** True when no EK certificate backs the pinned endorsement key. */
    public boolean pinnedWithoutCertificate() {
      return ekCertificatePem == null;
    }

    @Override
    public String kind() {
      return "tpm";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tpm t && Arrays.equals(t.endorsementKey, endorsementKey)
          && java.util.Objects.equals(t.ekCertificatePem, ekCertificatePem);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(endorsementKey);
    }

    @Override
    public String toString() {
      return "Tpm[ek " + endorsementKey.length + " bytes, " + (ekCertificatePem == null ? "no certificate" : "certificate")
          + "]";
    }
  }
}
