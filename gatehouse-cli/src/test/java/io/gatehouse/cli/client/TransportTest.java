package io.gatehouse.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.cli.CliRunner;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against real sockets on this machine: nothing listening, untrusted TLS, trusted TLS. */
class TransportTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
  private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);
  private static final String CREDENTIAL =
      "HostName=gw.test;SharedAccessKeyName=operator;SharedAccessKey=" + KEY_BASE64;

  @TempDir
  Path dir;

  @Test
  void aPortWithNothingListeningExits3WithAHint() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String url = "https://127.0.0.1:" + port;

    Result result = CliRunner.run(Map.of("GATEHOUSE_DATA", dir.toString()),
        "device", "list", "--url", url, "--credential", CREDENTIAL);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.err()).contains("cannot reach Gatehouse at " + url + ": connection refused. "
        + "Is `gatehouse serve` running? (URL from --url)");
    assertThat(result.out()).isEmpty();
    assertNoSecret(result);
  }

  @Test
  void anUntrustedCertificateExits3AndNamesTheCaFile() throws Exception {
    Path otherCa = TestPki.writePem(dir.resolve("other-ca.pem"), TestPki.ca("Other CA").certificate());
    TestPki.Issued selfSigned = TestPki.selfSignedServer();
    try (LocalTlsServer server = new LocalTlsServer(TestPki.serverContext(selfSigned), 200,
        "application/json", "{}")) {
      Result result = CliRunner.run(Map.of("GATEHOUSE_URL", server.url(), "GATEHOUSE_CREDENTIAL", CREDENTIAL),
          "device", "show", "d1", "--data", dir.toString(), "--ca", otherCa.toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(result.err())
          .contains("the TLS certificate of " + server.url() + " is not trusted by " + otherCa)
          .contains("Pass --ca with the gateway's ca.pem");
      assertThat(server.requestHeads()).isEmpty();
      assertNoSecret(result);
    }
  }

  @Test
  void withoutACaFileTheJdkTrustStoreIsUsedAndNamed() throws Exception {
    TestPki.Issued selfSigned = TestPki.selfSignedServer();
    try (LocalTlsServer server = new LocalTlsServer(TestPki.serverContext(selfSigned), 200,
        "application/json", "{}")) {
      Result result = CliRunner.run(Map.of("GATEHOUSE_DATA", dir.toString()),
          "ca", "list", "--url", server.url(), "--credential", CREDENTIAL);

      assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(result.err()).contains("is not trusted by the JDK default trust store");
    }
  }

  @Test
  void aMissingCaFileIsAUsageError() {
    Result result = CliRunner.run(Map.of("GATEHOUSE_DATA", dir.toString()),
        "ca", "list", "--url", "https://127.0.0.1:1", "--credential", CREDENTIAL,
        "--ca", dir.resolve("nope.pem").toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("the CA file " + dir.resolve("nope.pem") + " does not exist");
  }

  @Test
  void aTrustedServerGetsAServiceTokenThatVerifies() throws Exception {
    TestPki.Issued ca = TestPki.ca("Gateway CA");
    Path caPem = TestPki.writePem(dir.resolve("ca.pem"), ca.certificate());
    TestPki.Issued leaf = TestPki.server(ca);
    Instant now = Instant.parse("2030-01-02T03:04:05Z");
    String problem = "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
        + "\"detail\":\"operator may not read the registry\",\"missingPermission\":\"registry.read\"}";
    try (LocalTlsServer server = new LocalTlsServer(TestPki.serverContext(leaf, ca.certificate()), 403,
        "application/problem+json", problem)) {
      Result result = CliRunner.run(Map.of("GATEHOUSE_DATA", dir.toString()), Clock.fixed(now, ZoneOffset.UTC),
          "device", "show", "d%1", "--url", server.url(), "--credential", CREDENTIAL, "--ca", caPem.toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.REFUSED);
      assertThat(result.err()).contains("error: operator may not read the registry (missing permission: registry.read)");
      assertThat(server.requestHeads()).hasSize(1);
      String head = server.requestHeads().get(0);
      assertThat(head).startsWith("GET /devices/d%251 HTTP/1.1\r\n");
      String token = header(head, "Authorization");
      SasToken parsed = SasToken.parse(token);
      assertThat(parsed.keyName()).isEqualTo("operator");
      assertThat(parsed.resource()).isEqualTo("gw.test");
      assertThat(parsed.expiry()).isEqualTo(now.plus(ApiClient.TOKEN_LIFETIME).getEpochSecond());
      new SasVerifier(Clock.fixed(now, ZoneOffset.UTC)).verify(parsed, "gw.test", List.of(KEY));
      assertNoSecret(result);
    }
  }

  @Test
  void aRefusedCredentialSaysSoAndWhereItCameFrom() throws Exception {
    TestPki.Issued ca = TestPki.ca("Gateway CA");
    Path caPem = TestPki.writePem(dir.resolve("ca.pem"), ca.certificate());
    Path credentialFile = Files.writeString(dir.resolve("op.credential"), CREDENTIAL + "\n");
    String problem = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
        + "\"detail\":\"SAS token signature does not match any key of this identity\"}";
    try (LocalTlsServer server = new LocalTlsServer(TestPki.serverContext(TestPki.server(ca), ca.certificate()),
        401, "application/problem+json", problem)) {
      Result result = CliRunner.run(Map.of("GATEHOUSE_CREDENTIAL", "@" + credentialFile,
              "GATEHOUSE_URL", server.url(), "GATEHOUSE_CA", caPem.toString()),
          "audit", "verify", "--data", dir.toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.REFUSED);
      assertThat(result.err()).contains("the credential was refused: SAS token signature does not match "
          + "any key of this identity (credential from " + credentialFile + " (GATEHOUSE_CREDENTIAL))");
      assertNoSecret(result);
    }
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + name + " header in " + head);
  }

  private static void assertNoSecret(Result result) {
    assertThat(result.all()).doesNotContain(KEY_BASE64).doesNotContain("sig=").doesNotContain("SharedAccessKey=");
  }
}
