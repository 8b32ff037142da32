package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.TestPki;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a command can fail (refused credential, missing permission, not found, conflict, usage,
 * untrusted TLS, server down) exits with its documented code, says what to do, and never shows a
 * secret on stderr, in particular not the operator key from operator.credential.
 */
class FailuresE2ETest {
  @TempDir
  static Path files;

  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();

  @Test
  void failuresExitWithTheirCodeAndNeverShowASecretThenTheServerIsDown() throws Exception {
    String operatorCredential = gw.operatorCredential();
    String operatorKey = gw.operatorKey();

    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String wrongKey = Base64.getEncoder().encodeToString(random);
    gw.secret(wrongKey);
    Result unauthorized = gw.run("device", "list", "--credential",
        "HostName=gatehouse.test;SharedAccessKeyName=operator;SharedAccessKey=" + wrongKey);
    assertThat(unauthorized.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(unauthorized.err()).startsWith("error: the credential was refused: ")
        .contains("(credential from --credential)");

    Result unknownIdentity = gw.run("device", "list", "--credential",
        "HostName=gatehouse.test;SharedAccessKeyName=nobody;SharedAccessKey=" + wrongKey);
    assertThat(unknownIdentity.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(unknownIdentity.err()).startsWith("error: the credential was refused: ");

    Result notFound = gw.run("device", "show", "nope");
    assertThat(notFound.exitCode()).isEqualTo(ExitCodes.REFUSED);

    Result misplaced = gw.run("device", "list", operatorCredential);
    assertThat(misplaced.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(misplaced.err()).contains("SharedAccessKey=<redacted>");

    Result deviceCredential = gw.run("device", "list", "--credential",
        "HostName=gatehouse.test;DeviceId=d1;SharedAccessKey=" + operatorKey);
    assertThat(deviceCredential.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(deviceCredential.err()).contains("is a device connection string");

    Path otherCa = TestPki.writePem(files.resolve("other-ca.pem"), TestPki.ca("Not The Gateway CA").certificate());
    Result untrusted = gw.run("device", "list", "--ca", otherCa.toString());
    assertThat(untrusted.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(untrusted.err()).contains("is not trusted by " + otherCa)
        .contains("Pass --ca with the gateway's ca.pem");
    assertThat(untrusted.out()).isEmpty();

    gw.stop();

    Result down = gw.run("device", "list");
    assertThat(down.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(down.err()).startsWith("error: cannot reach Gatehouse at https://localhost:")
        .contains("connection refused. Is `gatehouse serve` running?")
        .contains("cli.json");
    assertThat(down.out()).isEmpty();

    Result downToken = gw.run("device", "token", "d1");
    assertThat(downToken.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(downToken.err()).contains("Is `gatehouse serve` running?");
    assertThat(downToken.out()).isEmpty();

    Result downWithCredential = gw.run("service", "create", "s1", "--permit", "admin",
        "--credential", operatorCredential);
    assertThat(downWithCredential.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);

    assertThat(gw.stderrSeen()).hasSizeGreaterThanOrEqualTo(9).allSatisfy(err -> {
      assertThat(err).isNotEmpty();
      assertThat(err).doesNotContain(operatorKey).doesNotContain(operatorCredential).doesNotContain(wrongKey)
          .doesNotContain("SharedAccessSignature").doesNotContain("sig=");
    });
  }
}
