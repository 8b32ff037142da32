package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.x509.Certificates;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X.509 devices: no password, the TLS client certificate is the credential. */
class MqttX509Test {
  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static KeyManagerFactory registered;
  static KeyManagerFactory stranger;

  @BeforeAll
  static void start() throws Exception {
    bed = new MqttTestBed(directory);
    KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate certificate = selfSigned(keys, "cert-1");
    bed.store().devices().create(new Device("cert-1", IdentityKind.DEVICE, IdentityStatus.ENABLED, null,
        new Authentication.X509Thumbprints(Certificates.sha256Thumbprint(certificate), null), null, Map.of(),
        null, null, null, null));
    registered = keyManager(keys, certificate);
    KeyPair other = KeyPairGenerator.getInstance("EC").generateKeyPair();
    stranger = keyManager(other, selfSigned(other, "cert-1"));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void registeredCertificateConnectsOverBothVersions() {
    try (TestDevice device = TestDevice.v5WithCertificate(bed, "cert-1", registered)) {
      assertThat(device.connectWithoutPassword()).isZero();
    }
    try (TestDevice device = TestDevice.v3WithCertificate(bed, "cert-1", registered)) {
      assertThat(device.connectWithoutPassword()).isZero();
    }
  }

  @Test
  void unregisteredCertificateIsBadCredentials() {
    try (TestDevice device = TestDevice.v5WithCertificate(bed, "cert-1", stranger)) {
      assertThat(device.connectWithoutPassword()).isEqualTo(0x86);
    }
    try (TestDevice device = TestDevice.v3WithCertificate(bed, "cert-1", stranger)) {
      assertThat(device.connectWithoutPassword()).isEqualTo(0x04);
    }
    await().untilAsserted(() -> assertThat(bed.auditEntries()).anyMatch(e -> e.event().action().equals("mqtt.connect")
        && e.event().target().equals("device:cert-1") && e.event().outcome().name().equals("FAILURE")));
  }

  @Test
  void neitherPasswordNorCertificateIsABadAuthenticationMethod() {
    try (TestDevice device = TestDevice.v5(bed, "cert-1")) {
      assertThat(device.connectWithoutPassword()).isEqualTo(0x8C);
    }
    try (TestDevice device = TestDevice.v3(bed, "cert-1")) {
      assertThat(device.connectWithoutPassword()).isEqualTo(0x04);
    }
  }

  private static X509Certificate selfSigned(KeyPair keys, String commonName) throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=" + commonName);
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private static KeyManagerFactory keyManager(KeyPair keys, X509Certificate certificate) throws Exception {
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    identity.setKeyEntry("device", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(identity, new char[0]);
    return kmf;
  }
}
