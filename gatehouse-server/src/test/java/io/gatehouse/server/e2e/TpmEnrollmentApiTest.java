package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.x509.Certificates;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPM enrollments with EK certificates on a gateway started with TPM manufacturer roots
 * ({@code --tpm-roots}): a certificate is accepted only if it certifies the enrolled EK and chains
 * to a configured root; an EK enrolled without one says it is pinned as given.
 */
class TpmEnrollmentApiTest {
  @TempDir static Path data;
  @TempDir static Path files;
  static GatewayFixture gw;
  static KeyPair rootKeys;
  static X509Certificate root;

  @BeforeAll
  static void start() throws Exception {
    rootKeys = rsa();
    root = certificate("TPM Maker Root CA", rootKeys.getPublic(), rootKeys, true);
    Path roots = files.resolve("tpm-roots.pem");
    Files.writeString(roots, Certificates.toPem(root));
    gw = new GatewayFixture(data, roots);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void anEkCertificateIsAcceptedOnlyForItsKeyAndFromAConfiguredRoot() throws Exception {
    KeyPair ek = rsa();
    String ekPublic = Base64.getEncoder().encodeToString(tpm2bPublic((RSAPublicKey) ek.getPublic()));
    String certified = Certificates.toPem(certificate("EK", ek.getPublic(), rootKeys, false));

    HttpResponse<String> created = gw.asOperator("PUT", "/enrollments/tpm-cert-1", body(ekPublic, certified));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode attestation = Json.of(created).get("attestation");
    assertThat(attestation.get("ekPinnedWithoutCertificate").asBoolean()).isFalse();
    assertThat(attestation.get("ekCertificateSubject").asText()).isEqualTo("CN=EK");

    String otherKey = Base64.getEncoder().encodeToString(tpm2bPublic((RSAPublicKey) rsa().getPublic()));
    assertRefused(gw.asOperator("PUT", "/enrollments/tpm-cert-2", body(otherKey, certified)), "certifies another key");

    KeyPair stranger = rsa();
    String foreign = Certificates.toPem(certificate("EK", ek.getPublic(), stranger, false));
    assertRefused(gw.asOperator("PUT", "/enrollments/tpm-cert-3", body(ekPublic, foreign)),
        "does not chain to a configured TPM manufacturer root");

    HttpResponse<String> pinned = gw.asOperator("PUT", "/enrollments/tpm-pinned",
        "{\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\"" + otherKey + "\"}}");
    assertThat(Json.of(pinned).at("/attestation/ekPinnedWithoutCertificate").asBoolean()).isTrue();
    assertRefused(gw.asOperator("PUT", "/enrollments/tpm-garbage",
        "{\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\"AAMBAgM=\"}}"), "not a well-formed TPM2B_PUBLIC");
  }

  private static void assertRefused(HttpResponse<String> response, String detail) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(Json.of(response).get("detail").asText()).contains(detail);
  }

  private static String body(String endorsementKey, String certificatePem) {
    return "{\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\"" + endorsementKey + "\",\"ekCertificate\":\""
        + certificatePem.replace("\n", "\\n") + "\"}}";
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  /** An RSA-2048 EK as a TPM marshals it (TPM2B_PUBLIC, the standard EK template's parameters). */
  static byte[] tpm2bPublic(RSAPublicKey key) {
    byte[] raw = key.getModulus().toByteArray();
    byte[] modulus = Arrays.copyOfRange(raw, raw.length - 256, raw.length);
    ByteBuffer t = ByteBuffer.allocate(2 + 512);
    t.putShort((short) 0); // size, filled in below
    t.putShort((short) 0x0001).putShort((short) 0x000B).putInt(0x000300B2);
    t.putShort((short) 32).put(new byte[32]);
    t.putShort((short) 0x0006).putShort((short) 128).putShort((short) 0x0043);
    t.putShort((short) 0x0010).putShort((short) 2048).putInt(0);
    t.putShort((short) 256).put(modulus);
    t.putShort(0, (short) (t.position() - 2));
    return Arrays.copyOf(t.array(), t.position());
  }

  private static X509Certificate certificate(String subject, PublicKey key, KeyPair issuer, boolean ca)
      throws Exception {
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(new X500Name(ca ? "CN=" + subject : "CN=TPM Maker Root CA"),
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + subject), key);
    if (ca) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
  }
}
