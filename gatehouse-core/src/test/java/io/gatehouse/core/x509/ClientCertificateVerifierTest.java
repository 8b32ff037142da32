package io.gatehouse.core.x509;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class ClientCertificateVerifierTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private final ClientCertificateVerifier verifier = new ClientCertificateVerifier(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void pinnedThumbprintMatches() throws Exception {
    KeyPair keys = keyPair();
    X509Certificate self = certificate("CN=dev1", keys, "CN=dev1", keys, false, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    Device device = device("dev1", new Authentication.X509Thumbprints(Certificates.sha256Thumbprint(self), null));
    assertThatCode(() -> verifier.verify(device, List.of(self), List.of())).doesNotThrowAnyException();

    X509Certificate other = certificate("CN=dev1", keyPair(), "CN=dev1", keyPair(), false, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    assertThatThrownBy(() -> verifier.verify(device, List.of(other), List.of()))
        .hasMessageContaining("thumbprint does not match");
  }

  @Test
  void expiredCertificateIsRefusedEvenWhenPinned() throws Exception {
    KeyPair keys = keyPair();
    X509Certificate old = certificate("CN=dev1", keys, "CN=dev1", keys, false, NOW.minus(Duration.ofDays(30)), NOW.minusSeconds(1));
    Device device = device("dev1", new Authentication.X509Thumbprints(Certificates.sha256Thumbprint(old), null));
    assertThatThrownBy(() -> verifier.verify(device, List.of(old), List.of())).hasMessageContaining("expired");
  }

  @Test
  void caSignedCertificateNeedsRegisteredCaAndMatchingCommonName() throws Exception {
    KeyPair caKeys = keyPair();
    X509Certificate ca = certificate("CN=Fleet CA", caKeys, "CN=Fleet CA", caKeys, true, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(365)));
    KeyPair devKeys = keyPair();
    X509Certificate leaf = certificate("CN=dev1", devKeys, "CN=Fleet CA", caKeys, false, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    CaCertificate registered = new CaCertificate("fleet", ca, Certificates.sha256Thumbprint(ca), NOW);
    Device dev1 = device("dev1", new Authentication.X509CaSigned());
    assertThatCode(() -> verifier.verify(dev1, List.of(leaf, ca), List.of(registered))).doesNotThrowAnyException();
    assertThatCode(() -> verifier.verify(dev1, List.of(leaf), List.of(registered))).doesNotThrowAnyException();

    assertThatThrownBy(() -> verifier.verify(device("dev2", new Authentication.X509CaSigned()), List.of(leaf), List.of(registered)))
        .hasMessageContaining("subject CN 'dev1' is not the device id 'dev2'");

    KeyPair rogueKeys = keyPair();
    X509Certificate rogueCa = certificate("CN=Fleet CA", rogueKeys, "CN=Fleet CA", rogueKeys, true, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(365)));
    X509Certificate forged = certificate("CN=dev1", devKeys, "CN=Fleet CA", rogueKeys, false, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    assertThatThrownBy(() -> verifier.verify(dev1, List.of(forged, rogueCa), List.of(registered)))
        .hasMessageContaining("does not chain to a registered CA");
    assertThatThrownBy(() -> verifier.verify(dev1, List.of(leaf), List.of()))
        .hasMessageContaining("no CA certificate is registered");
  }

  @Test
  void sasDeviceCannotUseCertificates() throws Exception {
    KeyPair keys = keyPair();
    X509Certificate self = certificate("CN=dev1", keys, "CN=dev1", keys, false, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    Device device = device("dev1", new Authentication.SymmetricKeys(
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
    assertThatThrownBy(() -> verifier.verify(device, List.of(self), List.of())).hasMessageContaining("SAS tokens");
  }

  private static Device device(String id, Authentication auth) {
    return new Device(id, IdentityKind.DEVICE, IdentityStatus.ENABLED, null, auth, null, Map.of(), "e", null, null, null);
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
      boolean ca, Instant from, Instant to) throws Exception {
    var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(System.nanoTime()),
        Date.from(from), Date.from(to), new X500Name(subject), subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }
}
