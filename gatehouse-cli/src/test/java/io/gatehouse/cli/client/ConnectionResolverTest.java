package io.gatehouse.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Flags beat environment variables, which beat the files `gatehouse serve` writes. */
class ConnectionResolverTest {
  private static final String FILE_KEY = Base64.getEncoder().encodeToString("file-key-0123456789".getBytes());
  private static final String ENV_KEY = Base64.getEncoder().encodeToString("env-key-01234567890".getBytes());
  private static final String FLAG_KEY = Base64.getEncoder().encodeToString("flag-key-0123456789".getBytes());

  @TempDir
  Path dir;

  @BeforeEach
  void serveWroteItsFiles() throws Exception {
    Files.writeString(dir.resolve("cli.json"),
        "{\"url\":\"https://localhost:8443\",\"hostName\":\"localhost\",\"caFile\":\"" + dir.resolve("ca.pem")
            + "\",\"somethingNew\":1}");
    Files.writeString(dir.resolve("operator.credential"),
        "HostName=localhost;SharedAccessKeyName=operator;SharedAccessKey=" + FILE_KEY + "\n");
  }

  @Command(name = "probe", modelTransformer = io.gatehouse.cli.Main.NoArgumentFiles.class)
  static final class Probe {
    @Mixin
    ConnectionOptions connection;
  }

  private static Connection resolve(Map<String, String> env, String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.connection.resolve(env);
  }

  @Test
  void theDataDirectoryAloneIsEnough() {
    Connection c = resolve(Map.of(), "--data", dir.toString());

    assertThat(c.baseUrl()).isEqualTo(URI.create("https://localhost:8443"));
    assertThat(c.urlSource()).isEqualTo(dir.resolve("cli.json").toString());
    assertThat(c.caFile()).contains(dir.resolve("ca.pem"));
    assertThat(c.credential().hostName()).isEqualTo("localhost");
    assertThat(c.credential().keyName()).isEqualTo("operator");
    assertThat(c.credential().key()).isEqualTo(Base64.getDecoder().decode(FILE_KEY));
    assertThat(c.credential().source()).isEqualTo(dir.resolve("operator.credential").toString());
  }

  @Test
  void gatehouseDataPointsAtTheDataDirectory() {
    assertThat(resolve(Map.of("GATEHOUSE_DATA", dir.toString())).credential().keyName()).isEqualTo("operator");
  }

  @Test
  void environmentBeatsFiles() {
    Map<String, String> env = Map.of(
        "GATEHOUSE_DATA", dir.toString(),
        "GATEHOUSE_URL", "https://env.example:9443/",
        "GATEHOUSE_CA", "/env/ca.pem",
        "GATEHOUSE_CREDENTIAL", "HostName=env.example;SharedAccessKeyName=ops;SharedAccessKey=" + ENV_KEY);

    Connection c = resolve(env);

    assertThat(c.baseUrl()).isEqualTo(URI.create("https://env.example:9443"));
    assertThat(c.urlSource()).isEqualTo("GATEHOUSE_URL");
    assertThat(c.caFile()).contains(Path.of("/env/ca.pem"));
    assertThat(c.credential().keyName()).isEqualTo("ops");
    assertThat(c.credential().source()).isEqualTo("GATEHOUSE_CREDENTIAL");
  }

  @Test
  void flagsBeatEnvironment() throws Exception {
    Path other = Files.createDirectory(dir.resolve("other"));
    Map<String, String> env = Map.of(
        "GATEHOUSE_DATA", other.toString(),
        "GATEHOUSE_URL", "https://env.example:9443",
        "GATEHOUSE_CA", "/env/ca.pem",
        "GATEHOUSE_CREDENTIAL", "HostName=env.example;SharedAccessKeyName=ops;SharedAccessKey=" + ENV_KEY);

    Connection c = resolve(env, "--data", dir.toString(), "--url", "https://flag.example:7443",
        "--ca", "/flag/ca.pem",
        "--credential", "HostName=flag.example;SharedAccessKeyName=admin;SharedAccessKey=" + FLAG_KEY);

    assertThat(c.baseUrl()).isEqualTo(URI.create("https://flag.example:7443"));
    assertThat(c.urlSource()).isEqualTo("--url");
    assertThat(c.caFile()).contains(Path.of("/flag/ca.pem"));
    assertThat(c.credential().keyName()).isEqualTo("admin");
    assertThat(c.credential().hostName()).isEqualTo("flag.example");
  }

  @Test
  void theDataFlagBeatsGatehouseData() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThat(resolve(Map.of("GATEHOUSE_DATA", empty.toString()), "--data", dir.toString())
        .credential().keyName()).isEqualTo("operator");
  }

  @Test
  void aCredentialFileIsReadWithAnAt() throws Exception {
    Path file = Files.writeString(dir.resolve("ops.credential"),
        "  HostName=h;SharedAccessKeyName=ops;SharedAccessKey=" + FLAG_KEY + "\n");

    Connection c = resolve(Map.of(), "--data", dir.toString(), "--credential", "@" + file);

    assertThat(c.credential().keyName()).isEqualTo("ops");
    assertThat(c.credential().source()).isEqualTo(file + " (--credential)");
  }

  @Test
  void withoutAUrlTheHostNameOfCliJsonIsUsed() throws Exception {
    Files.writeString(dir.resolve("cli.json"), "{\"hostName\":\"gw.lan\",\"caFile\":\"ca.pem\"}");

    Connection c = resolve(Map.of(), "--data", dir.toString());

    assertThat(c.baseUrl()).isEqualTo(URI.create("https://gw.lan:8443"));
    assertThat(c.caFile()).as("a relative caFile is relative to the data directory").contains(dir.resolve("ca.pem"));
  }

  @Test
  void withoutAnyFileTheCredentialsHostNameGivesTheUrl() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));

    Connection c = resolve(Map.of(), "--data", empty.toString(),
        "--credential", "HostName=gw.example.net;SharedAccessKeyName=ops;SharedAccessKey=" + FLAG_KEY);

    assertThat(c.baseUrl()).isEqualTo(URI.create("https://gw.example.net:8443"));
    assertThat(c.caFile()).isEqualTo(Optional.empty());
    assertThat(c.trustDescription()).isEqualTo("the JDK default trust store");
  }

  @Test
  void nothingFoundSaysWhereToRunOrWhatToPass() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));

    assertThatThrownBy(() -> resolve(Map.of("GATEHOUSE_DATA", empty.toString())))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
        .hasMessageContaining(empty + " has no cli.json or operator.credential")
        .hasMessageContaining("Run this command in the directory where `gatehouse serve` was started")
        .hasMessageContaining("--data DIR")
        .hasMessageContaining("--url URL and --credential CONNSTRING|@FILE");
  }

  @Test
  void aMissingCredentialNextToCliJsonIsNamed() throws Exception {
    Files.delete(dir.resolve("operator.credential"));

    assertThatThrownBy(() -> resolve(Map.of(), "--data", dir.toString()))
        .hasMessageContaining(dir.resolve("operator.credential") + " does not exist");
  }

  @Test
  void aBrokenCliJsonIsReported() throws Exception {
    Files.writeString(dir.resolve("cli.json"), "{not json");

    assertThatThrownBy(() -> resolve(Map.of(), "--data", dir.toString()))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("cannot read " + dir.resolve("cli.json"));
  }

  @Test
  void plainHttpIsRefused() {
    assertThatThrownBy(() -> resolve(Map.of(), "--data", dir.toString(), "--url", "http://localhost:8443"))
        .hasMessageContaining("is not https");
    assertThatThrownBy(() -> resolve(Map.of(), "--data", dir.toString(), "--url", "localhost:8443"))
        .hasMessageContaining("expected https://HOST:PORT");
  }

  @Test
  void badCredentialsAreExplainedWithoutShowingTheKey() {
    Map<String, String> cases = new HashMap<>();
    cases.put("HostName=h;DeviceId=d1;SharedAccessKey=" + FLAG_KEY, "is a device connection string");
    cases.put("HostName=h;SharedAccessKey=" + FLAG_KEY, "has no SharedAccessKeyName");
    cases.put("HostName=h;SharedAccessKeyName=ops", "has no SharedAccessKey");
    cases.put("HostName=h;SharedAccessKeyName=ops;SharedAccessKey=not*base64!", "is not base64");
    cases.put("SharedAccessKeyName=ops;SharedAccessKey=" + FLAG_KEY, "has no HostName");
    cases.put("HostName=h;" + FLAG_KEY, "has an unknown field in part 2");
    cases.put("HostName=h;SharedAccessKeyName=a;SharedAccessKey=" + FLAG_KEY + ";sharedaccesskey=" + FLAG_KEY,
        "names a field twice (part 4)");
    cases.put("HostName=h;SharedAccessKeyName=a;SharedAccessKey=" + FLAG_KEY + ";Bogus=1", "unknown field in part 4");
    cases.forEach((credential, message) ->
        assertThatThrownBy(() -> resolve(Map.of(), "--data", dir.toString(), "--credential", credential))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
            .hasMessageContaining(message)
            .hasMessageContaining("--credential")
            .message().doesNotContain(FLAG_KEY).doesNotContain("not*base64!"));
  }

  @Test
  void aCredentialNeverShowsItsKey() {
    ServiceCredential credential = resolve(Map.of(), "--data", dir.toString()).credential();
    assertThat(credential.toString()).doesNotContain(FILE_KEY).contains("redacted");
  }
}
