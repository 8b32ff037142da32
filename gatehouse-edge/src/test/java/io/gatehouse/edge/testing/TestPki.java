package io.gatehouse.edge.testing;

import io.gatehouse.core.x509.Certificates;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for tests: a CA, client certificates it signs, self-signed ones, expired ones; written as PEM files. */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestPki() {}

  /** A certificate and its key pair; {@code issuer} is null for a self-signed one. */
  public record Issued(X509Certificate certificate, KeyPair keys, Issued issuer) {
    public String thumbprint() {
      return Certificates.sha256Thumbprint(certificate);
    }

    public String certificatePem() {
      return Certificates.toPem(certificate);
    }

    /** PKCS#8, "BEGIN PRIVATE KEY", as {@code openssl genpkey} writes it. */
    public String keyPem() {
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * Writes the certificate (followed by its issuer's, if any: the chain a client presents) and the
     * key, the key file mode 0600 as the edge requires.
     */
    public void write(Path certificateFile, Path keyFile) throws IOException {
      Files.writeString(certificateFile, certificatePem() + (issuer == null ? "" : issuer.certificatePem()));
      Files.writeString(keyFile, keyPem());
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    }
  }

  public static Issued ca(String name) {
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    return new Issued(build(name, keys, name, keys, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)),
        true), keys, null);
  }

  /** A client certificate for {@code commonName}, valid from an hour ago for a day. */
  public static Issued selfSigned(String commonName) {
    Instant now = Instant.now();
    return selfSigned(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }

  public static Issued selfSigned(String commonName, Instant notBefore, Instant notAfter) {
    KeyPair keys = newKeyPair();
    return new Issued(build(commonName, keys, commonName, keys, notBefore, notAfter, false), keys, null);
  }

  public static Issued signedBy(Issued ca, String commonName) {
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    return new Issued(build(commonName, keys, Certificates.commonName(ca.certificate()), ca.keys(),
        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), false), keys, ca);
  }

  private static X509Certificate build(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
      Instant notBefore, Instant notAfter, boolean ca) {
    try {
      var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
          new X500Name("CN=" + subject), subjectKeys.getPublic());
      if (ca) {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a test certificate for " + subject, e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 here", e);
    }
  }
}
