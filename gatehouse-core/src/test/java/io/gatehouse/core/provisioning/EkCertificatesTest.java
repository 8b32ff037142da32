package io.gatehouse.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.x509.Certificates;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * EK public keys as TPMs marshal them (built here by hand after the TPM 2.0 structures, with the
 * standard EK templates' parameters) and EK certificates chained to a manufacturer root.
 */
class EkCertificatesTest {
  private static final KeyPair ROOT = rsa();
  private static final KeyPair EK = rsa();

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** TPM2B_PUBLIC of an RSA-2048 EK: AES-128-CFB, no scheme, exponent 0 (= 65537). */
  static byte[] rsaTpm2bPublic(RSAPublicKey key) {
    byte[] modulus = unsigned(key.getModulus(), 256);
    ByteBuffer t = ByteBuffer.allocate(512);
    t.putShort((short) 0x0001).putShort((short) 0x000B).putInt(0x000300B2);
    t.putShort((short) 32).put(new byte[32]);
    t.putShort((short) 0x0006).putShort((short) 128).putShort((short) 0x0043);
    t.putShort((short) 0x0010).putShort((short) 2048).putInt(0);
    t.putShort((short) modulus.length).put(modulus);
    return sized(t);
  }

  /** TPM2B_PUBLIC of an ECC P-256 EK. */
  static byte[] eccTpm2bPublic(ECPublicKey key) {
    byte[] x = unsigned(key.getW().getAffineX(), 32);
    byte[] y = unsigned(key.getW().getAffineY(), 32);
    ByteBuffer t = ByteBuffer.allocate(256);
    t.putShort((short) 0x0023).putShort((short) 0x000B).putInt(0x000300B2);
    t.putShort((short) 32).put(new byte[32]);
    t.putShort((short) 0x0006).putShort((short) 128).putShort((short) 0x0043);
    t.putShort((short) 0x0010).putShort((short) 0x0003).putShort((short) 0x0010);
    t.putShort((short) 32).put(x).putShort((short) 32).put(y);
    return sized(t);
  }

  private static byte[] sized(ByteBuffer t) {
    byte[] body = Arrays.copyOf(t.array(), t.position());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(body.length >> 8);
    out.write(body.length & 0xff);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] unsigned(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    System.arraycopy(raw, Math.max(0, raw.length - length), out, Math.max(0, length - raw.length),
        Math.min(length, raw.length));
    return out;
  }

  static X509Certificate certificate(String subject, java.security.PublicKey key, String issuer, KeyPair issuerKeys,
      boolean ca) throws Exception {
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + subject),
        key);
    if (ca) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
  }

  @Test
  void readsRsaAndEccEndorsementKeys() throws Exception {
    assertThat(TpmPublicKeys.parse(rsaTpm2bPublic((RSAPublicKey) EK.getPublic()))).isEqualTo(EK.getPublic());
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ecc = ec.generateKeyPair();
    assertThat(TpmPublicKeys.parse(eccTpm2bPublic((ECPublicKey) ecc.getPublic()))).isEqualTo(ecc.getPublic());
    byte[] bare = Arrays.copyOfRange(rsaTpm2bPublic((RSAPublicKey) EK.getPublic()), 2,
        rsaTpm2bPublic((RSAPublicKey) EK.getPublic()).length);
    assertThat(TpmPublicKeys.parse(bare)).as("a TPMT_PUBLIC without its size").isEqualTo(EK.getPublic());
    assertThatThrownBy(() -> TpmPublicKeys.parse(new byte[] {0, 3, 1, 2, 3}))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a well-formed TPM2B_PUBLIC");
  }

  @Test
  void anEkCertificateMustCertifyTheEnrolledKeyAndChainToAConfiguredRoot() throws Exception {
    X509Certificate root = certificate("TPM Maker Root", ROOT.getPublic(), "TPM Maker Root", ROOT, true);
    X509Certificate ekCert = certificate("", EK.getPublic(), "TPM Maker Root", ROOT, false);
    byte[] ek = rsaTpm2bPublic((RSAPublicKey) EK.getPublic());
    String pem = Certificates.toPem(ekCert);

    EkCertificates.verify(ek, pem, List.of(root), Instant.now());

    byte[] otherEk = rsaTpm2bPublic((RSAPublicKey) rsa().getPublic());
    assertThatThrownBy(() -> EkCertificates.verify(otherEk, pem, List.of(root), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("certifies another key");
    KeyPair stranger = rsa();
    X509Certificate otherRoot = certificate("Other Root", stranger.getPublic(), "Other Root", stranger, true);
    assertThatThrownBy(() -> EkCertificates.verify(ek, pem, List.of(otherRoot), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not chain to a configured TPM");
    assertThatThrownBy(() -> EkCertificates.verify(ek, pem, List.of(root), Instant.now().plus(Duration.ofDays(3))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not chain");
    assertThatThrownBy(() -> EkCertificates.verify(ek, pem, List.of(), Instant.now()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("--tpm-roots");
  }
}
