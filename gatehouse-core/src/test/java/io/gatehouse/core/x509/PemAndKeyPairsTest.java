package io.gatehouse.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one PEM reader of key material, in the forms openssl writes, and the key/certificate pairing check. */
class PemAndKeyPairsTest {
  private static final KeyPair EC = generate("EC", 256);
  private static final KeyPair RSA = generate("RSA", 2048);

  @Test
  void readsPkcs8Sec1AndPkcs1Keys() throws Exception {
    String pkcs8 = pem(new PemObject("PRIVATE KEY", EC.getPrivate().getEncoded()));
    // What 'openssl ecparam -genkey' writes: SEC1 with the curve named inside the key structure.
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(EC.getPrivate().getEncoded());
    String sec1 = pem(new PemObject("EC PRIVATE KEY", new ECPrivateKey(256,
        ECPrivateKey.getInstance(info.parsePrivateKey()).getKey(), info.getPrivateKeyAlgorithm().getParameters())
        .getEncoded()));
    String pkcs1 = pem(new PemObject("RSA PRIVATE KEY",
        PrivateKeyInfo.getInstance(RSA.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded()));

    assertThat(KeyPairs.matches(Pem.privateKey(pkcs8, "a.pem"), EC.getPublic())).isTrue();
    assertThat(KeyPairs.matches(Pem.privateKey(sec1, "b.pem"), EC.getPublic())).isTrue();
    assertThat(KeyPairs.matches(Pem.privateKey(pkcs1, "c.pem"), RSA.getPublic())).isTrue();
    assertThat(KeyPairs.matches(Pem.privateKey(pkcs8, "a.pem"), RSA.getPublic())).isFalse();
  }

  @Test
  void readsACertificateChainInOrderSkippingOtherBlocks() throws Exception {
    X509Certificate first = certificate("first", EC);
    X509Certificate second = certificate("second", RSA);
    String text = pem(first) + pem(new PemObject("PRIVATE KEY", EC.getPrivate().getEncoded())) + pem(second);

    assertThat(Pem.certificates(text, "chain.pem")).containsExactly(first, second);
  }

  @Test
  void trustAnchorsTrustExactlyTheCertificatesOfTheFile(@TempDir Path dir) throws Exception {
    X509Certificate ca = certificate("ca", EC);
    Path file = dir.resolve("ca.pem");
    Files.writeString(file, pem(ca));
    X509TrustManager trust = (X509TrustManager) TrustAnchors.trustManagers(file).getTrustManagers()[0];

    trust.checkServerTrusted(new X509Certificate[] {ca}, "ECDHE_ECDSA");
    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {certificate("other", EC)}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThat(trust.getAcceptedIssuers()).containsExactly(ca); // not the JDK's default roots
    assertThatThrownBy(() -> TrustAnchors.sslContext(dir.resolve("missing.pem")))
        .isInstanceOf(KeyMaterialException.class).hasMessageContaining("missing.pem does not exist");
  }

  @Test
  void saysWhatIsWrongNamingTheSource() throws Exception {
    assertThatThrownBy(() -> Pem.certificates("nothing here", "edge.pem")).isInstanceOf(KeyMaterialException.class)
        .hasMessageContaining("no '-----BEGIN CERTIFICATE-----' block in edge.pem");
    assertThatThrownBy(() -> Pem.privateKey(pem(certificate("only", EC)), "key.pem"))
        .hasMessageContaining("no private key in key.pem");
    assertThatThrownBy(() -> Pem.privateKey(pem(new PemObject("ENCRYPTED PRIVATE KEY",
        new javax.crypto.EncryptedPrivateKeyInfo("PBEWithMD5AndDES", new byte[32]).getEncoded())), "key.pem"))
        .hasMessageContaining("the private key in key.pem is encrypted");
  }

  @Test
  void namesTheLikelyMistakeWhenKeyAndCertificateDoNotBelongTogether() throws Exception {
    X509Certificate ecCertificate = certificate("edge-1", EC);
    X509Certificate rsaCertificate = certificate("issuer", RSA);
    KeyPair otherEc = generate("EC", 256);

    KeyPairs.requireMatch(EC.getPrivate(), List.of(ecCertificate), "k", "c", "client");
    assertThatThrownBy(() -> KeyPairs.requireMatch(otherEc.getPrivate(), List.of(ecCertificate), "k", "c", "client"))
        .hasMessageContaining("the private key in k does not match the certificate in c (CN=edge-1)");
    assertThatThrownBy(() -> KeyPairs.requireMatch(RSA.getPrivate(), List.of(ecCertificate), "k", "c", "client"))
        .hasMessageContaining("is a RSA key but the certificate in c holds a EC public key");
    assertThatThrownBy(() -> KeyPairs.requireMatch(RSA.getPrivate(), List.of(certificate("x", generate("RSA", 2048)),
        rsaCertificate), "k", "c", "client")).hasMessageContaining("belongs to certificate #2")
        .hasMessageContaining("put the client certificate first");
  }

  private static X509Certificate certificate(String name, KeyPair keys) throws Exception {
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + name);
    String algorithm = keys.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
  }

  private static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static KeyPair generate(String algorithm, int size) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(size);
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
