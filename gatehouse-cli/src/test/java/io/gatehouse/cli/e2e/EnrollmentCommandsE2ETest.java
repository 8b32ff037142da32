package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.core.provisioning.GroupKeys;
import io.gatehouse.core.sas.SasSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse enrollment …} against a real gateway, and a device provisioning through what it created. */
class EnrollmentCommandsE2ETest {
  @TempDir
  static Path work;

  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();

  @Test
  void aGroupCreatedWithTheCliProvisionsADeviceWhoseKeyTheCliDerived() throws Exception {
    Result created = gw.ok("enrollment", "create", "line-7", "--group", "--registration-id-pattern", "line7-*",
        "--tag", "site=plant-7");
    String groupKey = created.out().lines().filter(l -> l.startsWith("primaryKey:")).findFirst().orElseThrow()
        .substring("primaryKey:".length()).strip();
    gw.secret(groupKey);
    assertThat(created.out()).containsPattern("(?m)^enrollmentGroupId:\\s+line-7$")
        .containsPattern("(?m)^registrationIdPattern:\\s+line7-\\*$");
    assertThat(created.err()).contains("the keys are shown only now").contains("derive-key");

    Path keyFile = work.resolve("group.key");
    Files.writeString(keyFile, groupKey + "\n");
    String derived = gw.ok("enrollment", "derive-key", "line7-pump", "--group-key-file", keyFile.toString()).out().strip();
    assertThat(derived).isEqualTo(GroupKeys.derive(groupKey, "line7-pump"));
    gw.secret(derived);

    String scope = gw.okJson("enrollment", "info").get("idScope").asText();
    assertThat(scope).matches("0ne[0-9A-F]{8}");
    Path deviceKeyFile = work.resolve("line7-pump.key");
    Files.writeString(deviceKeyFile, derived);
    String token = gw.ok("enrollment", "registration-token", "line7-pump", "--id-scope", scope, "--key-file",
        deviceKeyFile.toString(), "--ttl", "10m").out().strip();
    gw.secret(token.substring(token.indexOf("sig=")));
    HttpResponse<String> registered = register(scope, "line7-pump", token);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);

    JsonNode registrations = gw.okJson("enrollment", "registrations", "line-7", "--group");
    assertThat(registrations.get("items")).extracting(r -> r.get("deviceId").asText()).containsExactly("line7-pump");
    assertThat(gw.ok("device", "show", "line7-pump").out())
        .containsPattern("(?m)^provisioning:.*attestation=symmetric-key.*enrollment=group/line-7");

    Result shown = gw.ok("enrollment", "show", "line-7", "--group");
    assertThat(shown.out()).doesNotContain("primaryKey").doesNotContain(groupKey);
    assertThat(gw.ok("enrollment", "list", "--group").out()).contains("line-7").contains("symmetric-key");

    assertThat(gw.okJson("enrollment", "disable", "line-7", "--group").get("enabled").asBoolean()).isFalse();
    HttpResponse<String> refused = registerWithKey(scope, "line7-other", GroupKeys.derive(groupKey, "line7-other"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(gw.okJson("enrollment", "enable", "line-7", "--group").get("enabled").asBoolean()).isTrue();

    assertThat(gw.ok("enrollment", "delete", "line-7", "--group").out()).contains("deleted enrollment group line-7");
    Result gone = gw.run("enrollment", "show", "line-7", "--group");
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(gone.err()).contains("no enrollment group 'line-7'");
  }

  @Test
  void individualEnrollmentsOfEachAttestation() throws Exception {
    JsonNode keys = gw.okJson("enrollment", "create", "Meter-1", "--device-id", "meter-one", "--reprovision", "never");
    gw.secret(keys.get("primaryKey").asText());
    gw.secret(keys.get("secondaryKey").asText());
    assertThat(keys.get("registrationId").asText()).isEqualTo("meter-1");
    assertThat(keys.get("deviceId").asText()).isEqualTo("meter-one");
    assertThat(keys.get("reprovisionPolicy").asText()).isEqualTo("never");

    JsonNode x509 = gw.okJson("enrollment", "create", "cam-1", "--x509-thumbprint", "ab".repeat(32));
    assertThat(x509.at("/attestation/type").asText()).isEqualTo("x509");
    assertThat(x509.has("primaryKey")).isFalse();

    Path ek = work.resolve("ek.pub");
    byte[] ekPublic = ecEndorsementKey();
    Files.write(ek, ekPublic); // binary, as tpm2_readpublic writes it
    JsonNode tpm = gw.okJson("enrollment", "create", "tpm-1", "--tpm-endorsement-key", ek.toString());
    assertThat(tpm.at("/attestation/endorsementKey").asText()).isEqualTo(Base64.getEncoder().encodeToString(ekPublic));
    assertThat(tpm.at("/attestation/ekPinnedWithoutCertificate").asBoolean()).isTrue();
    Files.write(ek, new byte[] {0, 3, 1, 2, 3});
    Result garbage = gw.run("enrollment", "create", "tpm-2", "--tpm-endorsement-key", ek.toString());
    assertThat(garbage.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(garbage.err()).contains("not a well-formed TPM2B_PUBLIC");

    JsonNode listed = gw.okJson("enrollment", "list");
    assertThat(listed.get("items")).extracting(e -> e.get("registrationId").asText())
        .contains("meter-1", "cam-1", "tpm-1");

    Result badCa = gw.run("enrollment", "create", "g-ca", "--group", "--x509-ca", "nobody-ca");
    assertThat(badCa.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(badCa.err()).contains("CA certificate 'nobody-ca' is not registered");
    Result usage = gw.run("enrollment", "create", "g-1", "--group", "--device-id", "x");
    assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(usage.err()).contains("--device-id is for individual enrollments");
  }

  /** A TPM2B_PUBLIC of an ECC P-256 endorsement key, marshalled as a TPM does (standard EK template parameters). */
  private static byte[] ecEndorsementKey() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    var point = ((java.security.interfaces.ECPublicKey) generator.generateKeyPair().getPublic()).getW();
    java.nio.ByteBuffer t = java.nio.ByteBuffer.allocate(256);
    t.putShort((short) 0);
    t.putShort((short) 0x0023).putShort((short) 0x000B).putInt(0x000300B2);
    t.putShort((short) 32).put(new byte[32]);
    t.putShort((short) 0x0006).putShort((short) 128).putShort((short) 0x0043);
    t.putShort((short) 0x0010).putShort((short) 0x0003).putShort((short) 0x0010);
    t.putShort((short) 32).put(fixed(point.getAffineX())).putShort((short) 32).put(fixed(point.getAffineY()));
    t.putShort(0, (short) (t.position() - 2));
    return java.util.Arrays.copyOf(t.array(), t.position());
  }

  private static byte[] fixed(java.math.BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    System.arraycopy(raw, Math.max(0, raw.length - 32), out, Math.max(0, 32 - raw.length), Math.min(32, raw.length));
    return out;
  }

  private static HttpResponse<String> registerWithKey(String scope, String registrationId, String key)
      throws Exception {
    return register(scope, registrationId, SasSigner.token(scope + "/registrations/" + registrationId,
        Base64.getDecoder().decode(key), Instant.now().plusSeconds(600), "registration"));
  }

  private static HttpResponse<String> register(String scope, String registrationId, String token) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(CliGateway.trusting(gw.data().resolve("ca.pem")))
        .connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gw.port() + "/" + scope
        + "/registrations/" + registrationId + "/register?api-version=2021-06-01"))
        .header("Authorization", token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"registrationId\":\"" + registrationId + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
