package io.gatehouse.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.x509.KeyPairs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevPkiTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  @TempDir
  Path directory;

  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void firstStartWritesTheCaAndServerFilesWithPrivateKeysOwnerOnly() throws Exception {
    new DevPki(directory, clock).loadOrCreate(ServerNames.of("gatehouse.example"));

    assertThat(directory.resolve("ca.pem")).exists();
    assertThat(directory.resolve("server.pem")).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("ca-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("server-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("ca.pem"))))
        .isEqualTo("rw-r--r--");
    assertThat(Files.readString(directory.resolve("server-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    try (var files = Files.list(directory)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.pem", "ca-key.pem", "server.pem", "server-key.pem"); // no temp files left
    }
  }

  @Test
  void theCaIsAnEcdsaP256CaValidForTenYears() throws Exception {
    new DevPki(directory, clock).loadOrCreate(ServerNames.of("gatehouse.example"));
    X509Certificate ca = certificates("ca.pem").get(0);

    assertThat(ca.getSubjectX500Principal().getName()).containsPattern("CN=Gatehouse Development CA [0-9a-f]{8}");
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getPublicKey().toString()).contains("secp256r1");
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(Duration.between(clock.instant(), ca.getNotAfter().toInstant()).toDays()).isBetween(3649L, 3650L);
  }

  @Test
  void theServerCertificateChainsToTheCaAndNamesTheServer() throws Exception {
    TlsMaterial material = new DevPki(directory, clock)
        .loadOrCreate(ServerNames.of("gatehouse.example", "gw.internal", "10.1.2.3"));
    List<X509Certificate> chain = certificates("server.pem");
    X509Certificate ca = certificates("ca.pem").get(0);
    X509Certificate server = chain.get(0);

    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(ca);
    assertThat(material.certificateChain()).isEqualTo(chain);
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(sans(server)).containsExactlyInAnyOrder("gatehouse.example", "localhost", "gw.internal", "127.0.0.1",
        "0:0:0:0:0:0:0:1", "10.1.2.3");
    assertThat(server.getSubjectX500Principal().getName()).contains("CN=gatehouse.example");
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(java.util.Date.from(clock.instant()));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), parameters);
  }

  @Test
  void aLaterStartReusesTheCaAndTheServerCertificate() throws Exception {
    new DevPki(directory, clock).loadOrCreate(ServerNames.of("gatehouse.example"));
    String ca = Files.readString(directory.resolve("ca.pem"));
    String caKey = Files.readString(directory.resolve("ca-key.pem"));
    String server = Files.readString(directory.resolve("server.pem"));

    TlsMaterial again = new DevPki(directory, clock.withZone(ZoneOffset.UTC)).loadOrCreate(ServerNames.of("gatehouse.example"));

    assertThat(Files.readString(directory.resolve("ca.pem"))).isEqualTo(ca);
    assertThat(Files.readString(directory.resolve("ca-key.pem"))).isEqualTo(caKey);
    assertThat(Files.readString(directory.resolve("server.pem"))).isEqualTo(server);
    assertThat(again.certificate()).isEqualTo(certificates("server.pem").get(0));
  }

  @Test
  void aNewHostnameReissuesTheServerCertificateFromTheSameCa() throws Exception {
    new DevPki(directory, clock).loadOrCreate(ServerNames.of("old-name.example"));
    X509Certificate ca = certificates("ca.pem").get(0);
    X509Certificate before = certificates("server.pem").get(0);

    TlsMaterial after = new DevPki(directory, clock).loadOrCreate(ServerNames.of("new-name.example"));

    assertThat(certificates("ca.pem").get(0)).isEqualTo(ca);
    assertThat(after.certificate()).isNotEqualTo(before);
    assertThat(sans(after.certificate())).contains("new-name.example").doesNotContain("old-name.example");
    after.certificate().verify(ca.getPublicKey());
    assertThat(KeyPairs.matches(after.privateKey(), after.certificate().getPublicKey())).isTrue();
  }

  @Test
  void aServerCertificateNearExpiryIsReissued() throws Exception {
    new DevPki(directory, clock).loadOrCreate(ServerNames.of("gatehouse.example"));
    X509Certificate before = certificates("server.pem").get(0);

    Clock elevenMonthsLater = Clock.offset(clock, Duration.ofDays(340));
    TlsMaterial after = new DevPki(directory, elevenMonthsLater).loadOrCreate(ServerNames.of("gatehouse.example"));

    assertThat(after.certificate()).isNotEqualTo(before);
    assertThat(after.certificate().getNotAfter()).isAfter(before.getNotAfter());
  }

  @Test
  void aServerKeyThatNoLongerMatchesIsReplaced() throws Exception {
    new DevPki(directory, clock).loadOrCreate(ServerNames.of("gatehouse.example"));
    Files.copy(directory.resolve("ca-key.pem"), directory.resolve("server-key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    TlsMaterial repaired = new DevPki(directory, clock).loadOrCreate(ServerNames.of("gatehouse.example"));

    assertThat(KeyPairs.matches(repaired.privateKey(), repaired.certificate().getPublicKey())).isTrue();
  }

  @Test
  void aCaWithoutItsKeyIsAClearError() throws Exception {
    new DevPki(directory, clock).loadOrCreate(ServerNames.of("gatehouse.example"));
    Files.delete(directory.resolve("ca-key.pem"));

    assertThatThrownBy(() -> new DevPki(directory, clock).loadOrCreate(ServerNames.of("gatehouse.example")))
        .isInstanceOf(TlsConfigurationException.class)
        .hasMessageContaining("ca-key.pem is missing");
  }

  @Test
  void itCreatesTheDirectoryOwnerOnly() throws Exception {
    Path nested = directory.resolve("data/tls");

    new DevPki(nested, clock).loadOrCreate(ServerNames.of("gatehouse.example"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
  }

  private List<X509Certificate> certificates(String file) {
    return PemFiles.readCertificates(directory.resolve(file));
  }

  static List<String> sans(X509Certificate certificate) throws Exception {
    List<String> names = new ArrayList<>();
    Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
    for (List<?> entry : entries) {
      names.add((String) entry.get(1));
    }
    return names;
  }
}
