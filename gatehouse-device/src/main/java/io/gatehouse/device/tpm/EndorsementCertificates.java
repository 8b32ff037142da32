package io.gatehouse.device.tpm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import tss.TpmHelpers;
import tss.tpm.TPMS_NV_PUBLIC;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_PT;
import tss.tpm.TPM_RH;

/**
 * The EK certificate the manufacturer (or {@code swtpm_setup --create-ek-cert}) stored in NV
 * memory at the TCG index 0x01c00002. Some firmware TPMs keep none there and publish it online
 * instead; then there is none to read.
 */
final class EndorsementCertificates {
  private EndorsementCertificates() {}

  static Optional<X509Certificate> read(TpmCommands tpm) {
    TPM_HANDLE index = KeyTemplates.handle(KeyTemplates.EK_CERTIFICATE_INDEX);
    TpmCommands.Outcome<TPMS_NV_PUBLIC> described = tpm.attempt("NV_ReadPublic", t -> t.NV_ReadPublic(index).nvPublic);
    if (!described.succeeded()) {
      if (described.error() == ResponseCodes.HANDLE) {
        return Optional.empty();
      }
      throw new TpmCommandException("NV_ReadPublic", described.responseCode(), "reading the EK certificate's NV index "
          + "failed: " + ResponseCodes.describe(described.responseCode()));
    }
    int size = described.value().dataSize;
    int chunk = tpm.run("GetCapability", t -> TpmHelpers.getTpmProperty(t, TPM_PT.NV_BUFFER_MAX));
    // TCG's EK certificate indices are readable with their own empty authorization (authread) and
    // by the owner (ownerread); try the first, and the owner if a vendor left authread clear.
    TPM_HANDLE reader = index;
    if (!tpm.attempt("NV_Read", t -> t.NV_Read(index, index, Math.min(chunk, size), 0)).succeeded()) {
      reader = TPM_HANDLE.from(TPM_RH.OWNER);
    }
    TPM_HANDLE authorization = reader;
    ByteArrayOutputStream der = new ByteArrayOutputStream(size);
    for (int offset = 0; offset < size; offset += chunk) {
      int length = Math.min(chunk, size - offset);
      int at = offset;
      der.writeBytes(tpm.run("NV_Read", t -> t.NV_Read(authorization, index, length, at),
          "reading the EK certificate at 0x01c00002 with an empty authorization"));
    }
    try {
      return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der.toByteArray())));
    } catch (CertificateException e) {
      throw new IllegalStateException("the TPM's NV index 0x01c00002 does not hold an X.509 certificate: "
          + e.getMessage(), e);
    }
  }
}
