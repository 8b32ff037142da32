package io.gatehouse.edge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.edge.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class X509KeyFileCredentialTest {
  @TempDir Path dir;
  private Path certificate;
  private Path key;
  private TestPki.Issued issued;

  @BeforeEach
  void files() throws Exception {
    certificate = dir.resolve("edge.pem");
    key = dir.resolve("edge-key.pem");
    issued = TestPki.selfSigned("edge-1");
    issued.write(certificate, key);
  }

  @Test
  void presentsTheCertificateAndKeyWithAnAzureUserNameAndNamesItselfInsecure() {
    X509KeyFileCredential source = X509KeyFileCredential.fromFiles("gw.example.com", "edge-1", certificate, key,
        Instant.now());

    UplinkCredential.ClientCertificate credential = source.credential(Instant.now());

    assertThat(credential.userName()).isEqualTo("gw.example.com/edge-1/?api-version=2021-04-12");
    assertThat(credential.chain()).containsExactly(issued.certificate());
    assertThat(credential.privateKey().getEncoded()).isEqualTo(issued.keys().getPrivate().getEncoded());
    assertThat(credential.expiresAt()).isEqualTo(issued.certificate().getNotAfter().toInstant());
    assertThat(source.kind()).isEqualTo("x509-key-file (insecure: key on disk)");
    assertThat(credential.toString()).contains("CN=edge-1").doesNotContain(issued.keyPem().substring(30, 60));
  }

  @Test
  void readsTheFilesAgainForEveryConnectionSoARenewedCertificateIsUsed() throws Exception {
    X509KeyFileCredential source = X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, key, Instant.now());
    TestPki.Issued renewed = TestPki.selfSigned("edge-1");
    renewed.write(certificate, key);

    assertThat(source.credential(Instant.now()).certificate()).isEqualTo(renewed.certificate());
  }

  @Test
  void presentsTheWholeChainLeafFirst() throws Exception {
    TestPki.Issued ca = TestPki.ca("site-ca");
    TestPki.Issued leaf = TestPki.signedBy(ca, "edge-1");
    leaf.write(certificate, key);

    assertThat(X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, key, Instant.now())
        .credential(Instant.now()).chain()).containsExactly(leaf.certificate(), ca.certificate());
  }

  @Test
  void refusesAKeyFileOthersMayRead() throws Exception {
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

    assertThatThrownBy(() -> X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, key, Instant.now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private key file " + key).hasMessageContaining("readable by others")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void namesAMissingOrUnreadableFile() throws Exception {
    Path missing = dir.resolve("nowhere.pem");
    assertThatThrownBy(() -> X509KeyFileCredential.fromFiles("gw", "edge-1", missing, key, Instant.now()))
        .hasMessageContaining("certificate file " + missing + " does not exist");
    assertThatThrownBy(() -> X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, missing, Instant.now()))
        .hasMessageContaining("private key file " + missing + " does not exist");
    Files.writeString(certificate, "not a certificate\n");
    assertThatThrownBy(() -> X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, key, Instant.now()))
        .hasMessageContaining("no '-----BEGIN CERTIFICATE-----' block in " + certificate);
  }

  @Test
  void refusesACertificateAndKeyThatDoNotBelongTogether() throws Exception {
    Files.writeString(certificate, TestPki.selfSigned("edge-1").certificatePem());

    assertThatThrownBy(() -> X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, key, Instant.now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the private key in " + key + " does not match the certificate in " + certificate);
  }

  @Test
  void refusesAChainWhoseFirstCertificateIsNotTheKeys() throws Exception {
    TestPki.Issued ca = TestPki.ca("site-ca");
    TestPki.Issued leaf = TestPki.signedBy(ca, "edge-1");
    Files.writeString(certificate, ca.certificatePem() + leaf.certificatePem());
    Files.writeString(key, leaf.keyPem());

    assertThatThrownBy(() -> X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, key, Instant.now()))
        .hasMessageContaining("belongs to certificate #2").hasMessageContaining("put the client certificate first");
  }

  @Test
  void refusesAnExpiredCertificateAndOneNotYetValid() throws Exception {
    Instant now = Instant.now();
    TestPki.selfSigned("edge-1", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))).write(certificate, key);
    assertThatThrownBy(() -> X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, key, now))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired at")
        .hasMessageContaining("renewed certificate");

    TestPki.selfSigned("edge-1", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2))).write(certificate, key);
    assertThatThrownBy(() -> X509KeyFileCredential.fromFiles("gw", "edge-1", certificate, key, now))
        .hasMessageContaining("not valid before").hasMessageContaining("clock");
  }
}
