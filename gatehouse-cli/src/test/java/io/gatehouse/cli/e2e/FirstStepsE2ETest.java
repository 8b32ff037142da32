package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance: "A new user runs {@code ./gatehouse serve}, creates a device with the
 * CLI, reads it back over the HTTPS API with a service SAS token". Each test starts from an empty
 * data directory, as a new user does, and the CLI gets nothing but {@code GATEHOUSE_DATA}.
 */
class FirstStepsE2ETest {
  @TempDir
  Path data;

  CliGateway gw;

  @BeforeEach
  void serve() {
    gw = new CliGateway(data);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void serveWritesTheDiscoveryFilesTheCliNeeds() throws Exception {
    assertThat(data.resolve("cli.json")).exists();
    assertThat(data.resolve("ca.pem")).exists();
    assertThat(Files.getPosixFilePermissions(data.resolve("operator.credential")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    JsonNode cli = CliGateway.json(Files.readString(data.resolve("cli.json")));
    assertThat(cli.get("url").asText()).isEqualTo("https://localhost:" + gw.port());
    assertThat(cli.get("hostName").asText()).isEqualTo(CliGateway.HOST);
    assertThat(gw.operatorCredential()).startsWith("HostName=gatehouse.test;SharedAccessKeyName=operator;");
  }

  @Test
  void newUserCreatesADeviceAndReadsItBackOverHttpsWithAServiceToken() throws Exception {
    JsonNode device = gw.okJson("device", "create", "dev-1", "--tag", "site=a");
    gw.secret(device.path("primaryKey").asText());
    gw.secret(device.path("secondaryKey").asText());

    assertThat(device.get("deviceId").asText()).isEqualTo("dev-1");
    String primaryKey = device.get("primaryKey").asText();
    assertThat(Base64.getDecoder().decode(primaryKey)).hasSize(32);
    assertThat(device.get("connectionString").asText())
        .startsWith("HostName=gatehouse.test;DeviceId=dev-1;SharedAccessKey=")
        .isEqualTo("HostName=gatehouse.test;DeviceId=dev-1;SharedAccessKey=" + primaryKey);
    assertThat(device.at("/tags/site").asText()).isEqualTo("a");

    JsonNode reader = gw.okJson("service", "create", "reader", "--permit", "registry.read");
    String readerConnection = reader.get("connectionString").asText();
    gw.secret(readerConnection);
    gw.secret(reader.path("primaryKey").asText());
    assertThat(readerConnection).startsWith("HostName=gatehouse.test;SharedAccessKeyName=reader;SharedAccessKey=");

    HttpResponse<String> read = gw.httpsGet("/devices/dev-1", CliGateway.serviceToken(readerConnection));

    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    JsonNode readBack = CliGateway.json(read.body());
    assertThat(readBack.get("deviceId").asText()).isEqualTo("dev-1");
    assertThat(readBack.get("tags")).isEqualTo(device.get("tags"));
    assertThat(readBack.get("tags").properties()).hasSize(1);
    assertThat(read.body()).doesNotContain(primaryKey).doesNotContain("primaryKey");
  }

  @Test
  void readmeFlowServiceTokenFromTheCliReadsTheDeviceOverHttps() throws Exception {
    gw.ok("device", "create", "readme-1", "--tag", "site=plant-7");
    Result token = gw.ok("service", "token", "--ttl", "10m");
    String bare = token.out().trim();
    assertThat(bare).startsWith("SharedAccessSignature sr=gatehouse.test&sig=").contains("&skn=operator")
        .doesNotContain("\n");
    assertThat(token.out()).doesNotContain(gw.operatorKey());
    HttpResponse<String> read = gw.httpsGet("/devices/readme-1", bare);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(CliGateway.json(read.body()).at("/tags/site").asText()).isEqualTo("plant-7");
  }

  @Test
  void deviceTokenPrintsOnlyTheBareTokenAndItVerifiesWithThePrimaryKey() throws Exception {
    JsonNode device = gw.okJson("device", "create", "dev-1");
    byte[] primary = Base64.getDecoder().decode(device.get("primaryKey").asText());
    byte[] secondary = Base64.getDecoder().decode(device.get("secondaryKey").asText());
    gw.secret(device.get("primaryKey").asText());
    gw.secret(device.get("secondaryKey").asText());

    Instant before = Instant.now();
    Result result = gw.ok("device", "token", "dev-1", "--ttl", "10m");

    assertThat(result.err()).isEmpty();
    assertThat(result.out()).endsWith(System.lineSeparator());
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(1);
    String token = lines.get(0);
    assertThat(token).startsWith("SharedAccessSignature sr=");
    assertThat(token.substring("SharedAccessSignature ".length())).doesNotContainAnyWhitespaces();

    SasToken parsed = SasToken.parse(token);
    SasVerifier verifier = new SasVerifier(Clock.systemUTC());
    assertThat(verifier.verify(parsed, "gatehouse.test/devices/dev-1", List.of(primary))).isZero();
    assertThat(parsed.expiry()).isBetween(before.plusSeconds(600 - 5).getEpochSecond(),
        Instant.now().plusSeconds(600 + 5).getEpochSecond());
    assertThatThrownBy(() -> verifier.verify(parsed, "gatehouse.test/devices/dev-1", List.of(secondary)))
        .isInstanceOf(SasException.class);
    assertThatThrownBy(() -> verifier.verify(parsed, "gatehouse.test/devices/dev-2", List.of(primary)))
        .isInstanceOf(SasException.class);
  }

  @Test
  void theCliNeedsNoOtherSetting() {
    assertThat(gw.env()).containsOnlyKeys("GATEHOUSE_DATA");
    Result list = gw.ok("device", "list");
    assertThat(list.out().lines().toList()).containsExactly("ID  KIND  STATUS  AUTH  PARENT  TAGS  LAST ACTIVITY");
    assertThat(list.err()).isEqualTo("(no devices)" + System.lineSeparator());
  }
}
