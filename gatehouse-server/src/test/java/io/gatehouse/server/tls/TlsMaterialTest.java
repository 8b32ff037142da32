package io.gatehouse.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.x509.Certificates;
import io.netty.handler.ssl.ClientAuth;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.crypto.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator-supplied certificates and keys ({@code --tls-cert}, {@code --tls-key}). */
class TlsMaterialTest {
  @TempDir
  Path directory;

  private Path serverPem;
  private Path serverKey;

  @BeforeEach
  void createAPair() {
    new DevPki(directory.resolve("a"), Clock.systemUTC()).loadOrCreate(ServerNames.of("operator.example"));
    serverPem = directory.resolve("a/server.pem");
    serverKey = directory.resolve("a/server-key.pem");
  }

  @Test
  void loadsAChainWithAPkcs8Key() {
    TlsMaterial material = TlsMaterial.fromPemFiles(serverPem, serverKey);

    assertThat(material.certificateChain()).hasSize(2);
    assertThat(material.certificate().getSubjectX500Principal().getName()).contains("CN=operator.example");
    assertThat(material.origin()).contains(serverPem.toString());
    assertThat(material.toString()).doesNotContain(material.privateKey().toString());
  }

  @Test
  void loadsASec1EcKey() throws Exception {
    // What 'openssl ecparam -genkey' writes: SEC1 with the curve named inside the key structure.
    PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(PemFiles.readPrivateKey(serverKey).getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
    ECPrivateKey sec1Key = new ECPrivateKey(256, inner.getKey(), pkcs8.getPrivateKeyAlgorithm().getParameters());
    Path sec1 = Files.writeString(directory.resolve("sec1.pem"), PemFiles.pem("EC PRIVATE KEY", sec1Key.getEncoded()));

    assertThat(TlsMaterial.fromPemFiles(serverPem, sec1).privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void loadsAnRsaPkcs1KeyAndTlsAcceptsIt() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair rsa = generator.generateKeyPair();
    Path cert = directory.resolve("rsa.pem");
    Path key = directory.resolve("rsa-key.pem");
    Files.writeString(cert, Certificates.toPem(selfSigned(rsa, "SHA256withRSA")));
    Files.writeString(key, pem(rsa.getPrivate()));
    assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    TlsMaterial material = TlsMaterial.fromPemFiles(cert, key);

    assertThat(material.privateKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(new ServerTls(material, new ServerTls.Options(ClientAuth.NONE, ServerTls.ProviderChoice.AUTO))
        .sslContext().isServer()).isTrue();
  }

  @Test
  void loadsCertificateAndKeyFromOneFile() throws Exception {
    Path combined = directory.resolve("combined.pem");
    Files.writeString(combined, Files.readString(serverPem) + Files.readString(serverKey));

    assertThat(TlsMaterial.fromPemFiles(combined, combined).certificateChain()).hasSize(2);
  }

  @Test
  void refusesAKeyFromAnotherPair() {
    new DevPki(directory.resolve("b"), Clock.systemUTC()).loadOrCreate(ServerNames.of("other.example"));

    assertThatThrownBy(() -> TlsMaterial.fromPemFiles(serverPem, directory.resolve("b/server-key.pem")))
        .isInstanceOf(TlsConfigurationException.class)
        .hasMessageContaining("does not match the certificate in " + serverPem)
        .hasMessageContaining("CN=operator.example");
  }

  @Test
  void explainsAChainInTheWrongOrder() throws Exception {
    Path reversed = directory.resolve("reversed.pem");
    var chain = PemFiles.readCertificates(serverPem);
    Files.writeString(reversed, Certificates.toPem(chain.get(1)) + Certificates.toPem(chain.get(0)));

    assertThatThrownBy(() -> TlsMaterial.fromPemFiles(reversed, serverKey))
        .isInstanceOf(TlsConfigurationException.class)
        .hasMessageContaining("put the server certificate first");
  }

  @Test
  void explainsAKeyOfTheWrongType() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    Path rsaKey = directory.resolve("rsa-key.pem");
    Files.writeString(rsaKey, pem(generator.generateKeyPair().getPrivate()));

    assertThatThrownBy(() -> TlsMaterial.fromPemFiles(serverPem, rsaKey))
        .isInstanceOf(TlsConfigurationException.class)
        .hasMessageContaining("is a RSA key but the certificate in " + serverPem + " holds a EC public key");
  }

  @Test
  void explainsMissingEmptyAndEncryptedFiles() throws Exception {
    Path missing = directory.resolve("missing.pem");
    Path empty = Files.writeString(directory.resolve("empty.pem"), "no PEM here\n");
    Path encrypted = Files.writeString(directory.resolve("encrypted.pem"),
        PemFiles.pem("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo("PBEWithMD5AndDES", new byte[32]).getEncoded()));

    assertThatThrownBy(() -> TlsMaterial.fromPemFiles(missing, serverKey)).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> TlsMaterial.fromPemFiles(empty, serverKey)).hasMessageContaining("no '-----BEGIN CERTIFICATE-----'");
    assertThatThrownBy(() -> TlsMaterial.fromPemFiles(serverPem, empty)).hasMessageContaining("no private key in");
    assertThatThrownBy(() -> TlsMaterial.fromPemFiles(serverPem, encrypted)).hasMessageContaining("is encrypted");
  }

  private static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static X509Certificate selfSigned(KeyPair keys, String algorithm) throws Exception {
    X500Name name = new X500Name("CN=rsa.example");
    Instant now = Instant.now();
    return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
        Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(30, ChronoUnit.DAYS)), name, keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
  }
}
