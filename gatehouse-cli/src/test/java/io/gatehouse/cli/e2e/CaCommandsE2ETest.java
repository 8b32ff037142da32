package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.TestPki;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse ca …} with certificates made by BouncyCastle in the test. */
class CaCommandsE2ETest {
  @TempDir
  static Path files;

  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();

  @Test
  void addListShowDelete() throws Exception {
    TestPki.Issued root = TestPki.ca("Gatehouse E2E Root");
    Path pem = TestPki.writePem(files.resolve("root.pem"), root.certificate());
    String thumbprint = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(root.certificate().getEncoded()));

    Result added = gw.ok("ca", "add", "root", "--pem", pem.toString());
    assertThat(added.err()).isEmpty();
    assertThat(added.out()).containsPattern("(?m)^name:\\s+root$")
        .containsPattern("(?m)^subject:\\s+CN=Gatehouse E2E Root$")
        .containsPattern("(?m)^sha256Thumbprint:\\s+" + thumbprint + "$")
        .containsPattern("(?m)^notAfter:\\s+\\S+$");

    Result list = gw.ok("ca", "list");
    List<String> lines = list.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("NAME\\s+SUBJECT\\s+NOT AFTER\\s+SHA-256");
    assertThat(lines.get(1)).matches("root\\s+CN=Gatehouse E2E Root\\s+\\S+\\s+" + thumbprint);

    JsonNode shown = gw.okJson("ca", "show", "root");
    assertThat(shown.get("name").asText()).isEqualTo("root");
    assertThat(shown.get("sha256Thumbprint").asText()).isEqualTo(thumbprint);
    assertThat(shown.get("subject").asText()).isEqualTo("CN=Gatehouse E2E Root");
    assertThat(shown.get("notAfter").asText()).isNotBlank();

    Result duplicate = gw.run("ca", "add", "root", "--pem", pem.toString());
    assertThat(duplicate.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(duplicate.err()).startsWith("error: ").contains("root");

    Result deleted = gw.ok("ca", "delete", "root");
    assertThat(deleted.out()).isEqualTo("deleted CA certificate root" + System.lineSeparator());

    Result empty = gw.ok("ca", "list");
    assertThat(empty.out().lines().toList()).hasSize(1);
    assertThat(empty.err()).isEqualTo("(no CA certificates)" + System.lineSeparator());
    assertThat(gw.okJson("ca", "list").get("items")).isEmpty();

    Result gone = gw.run("ca", "show", "root");
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(gone.err()).contains("no CA certificate 'root'");
    Result deleteAgain = gw.run("ca", "delete", "root");
    assertThat(deleteAgain.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(deleteAgain.err()).contains("root");
  }

  @Test
  void aLeafCertificateIsRefusedWithTheReason() throws Exception {
    TestPki.Issued issuer = TestPki.ca("Gatehouse E2E Issuer");
    TestPki.Issued leaf = TestPki.server(issuer);
    Path pem = TestPki.writePem(files.resolve("leaf.pem"), leaf.certificate());

    Result refused = gw.run("ca", "add", "leaf", "--pem", pem.toString());

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.err()).startsWith("error: ")
        .contains("'CN=localhost' is not a CA certificate (basicConstraints CA=true is missing)");
    assertThat(refused.out()).isEmpty();
    assertThat(gw.okJson("ca", "list").get("items")).extracting(c -> c.get("name").asText())
        .doesNotContain("leaf");
  }
}
