package io.gatehouse.device.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.device.testing.Swtpm;
import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import io.gatehouse.server.provisioning.tpm.EndorsementCertificateVerifier;
import io.gatehouse.server.provisioning.tpm.EndorsementCertificateVerifier.Refused;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A TPM manufactured with an EK certificate ({@code swtpm_setup --create-ek-cert}, signed by a test
 * CA through swtpm-localca): the SDK reads the certificate from NV memory, keeps the
 * manufacturer's EK, and the server's verifier accepts the chain and the key, and refuses others.
 */
@ExtendWith(SwtpmExtension.class)
class EndorsementCertificateTest {
  private final EndorsementCertificateVerifier verifier = new EndorsementCertificateVerifier(Clock.systemUTC());

  @Test
  void readsTheEkCertificateAndItChainsToTheManufacturersRoot(Swtpms swtpms) throws Exception {
    try (TpmIdentity identity = TpmIdentity.open(swtpms.startManufactured().connect())) {
      X509Certificate certificate = identity.endorsementCertificate().orElseThrow();

      X509Certificate verified = verifier.verify(certificate.getEncoded(), List.of(swtpms.caIssuer()),
          List.of(swtpms.caRoot()), identity.endorsementKey());
      assertThat(verified.getIssuerX500Principal()).isEqualTo(swtpms.caIssuer().getSubjectX500Principal());
      // TCG EK certificate: key encipherment only, the TCG's EK certificate purpose.
      assertThat(verified.getKeyUsage()[2]).isTrue();
      assertThat(verified.getExtendedKeyUsage()).contains("2.23.133.8.1");
    }
  }

  @Test
  void theManufacturersEndorsementKeyIsKeptNotRecreated(Swtpms swtpms) throws Exception {
    Swtpm swtpm = swtpms.startManufactured();
    String before = swtpm.tpm2Tools("tpm2_readpublic", "-c", "0x81010001");
    try (TpmIdentity identity = TpmIdentity.open(swtpm.connect())) {
      assertThat(identity.endorsementCertificate()).isPresent();
    }
    assertThat(swtpm.tpm2Tools("tpm2_readpublic", "-c", "0x81010001")).isEqualTo(before);
  }

  @Test
  void aCertificateForAnotherTpmOrFromAnotherRootIsRefused(Swtpms swtpms) throws Exception {
    Swtpm manufactured = swtpms.startManufactured();
    byte[] certificate;
    byte[] ek;
    try (TpmIdentity identity = TpmIdentity.open(manufactured.connect())) {
      certificate = identity.endorsementCertificate().orElseThrow().getEncoded();
      ek = identity.endorsementKey();
    }
    byte[] otherEk;
    try (TpmIdentity other = TpmIdentity.open(swtpms.start().connect())) {
      otherEk = other.endorsementKey();
      assertThat(other.endorsementCertificate()).isEmpty();
    }
    List<X509Certificate> issuer = List.of(swtpms.caIssuer());
    List<X509Certificate> root = List.of(swtpms.caRoot());

    assertThatThrownBy(() -> verifier.verify(certificate, issuer, root, otherEk))
        .isInstanceOf(Refused.class).hasMessageContaining("certifies another key");
    // Trusting the issuing CA itself needs no intermediate; trusting the root without the intermediate is not enough.
    assertThat(verifier.verify(certificate, List.of(), issuer, ek)).isNotNull();
    assertThatThrownBy(() -> verifier.verify(certificate, List.of(), root, ek))
        .isInstanceOf(Refused.class).hasMessageContaining("does not chain");
    assertThatThrownBy(() -> verifier.verify(certificate, List.of(), List.of(), ek))
        .isInstanceOf(Refused.class).hasMessageContaining("no TPM manufacturer root");
    assertThatThrownBy(() -> verifier.verify(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, issuer, root, ek))
        .isInstanceOf(Refused.class).hasMessageContaining("not a DER X.509 certificate");
  }
}
