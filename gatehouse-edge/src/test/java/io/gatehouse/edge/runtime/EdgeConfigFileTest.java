package io.gatehouse.edge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeConfigFileTest {
  private static final String MINIMAL = """
      edge: {id: edge-1, dataDirectory: data}
      uplink: {host: gw.example.com, sasKeyFile: edge.key}
      leaves:
        - {id: sensor-1, secret: sensor-secret}
      mqtt:
        bind: ["192.168.1.10:1883", "[fd00::10]"]
      """;

  @TempDir Path dir;

  @Test
  void readsAMinimalConfigWithSafeDefaults() {
    EdgeConfig config = EdgeConfigFile.parse(MINIMAL, dir);

    assertThat(config.edgeId()).isEqualTo("edge-1");
    assertThat(config.dataDirectory()).isEqualTo(dir.resolve("data"));
    assertThat(config.uplink().port()).isEqualTo(8883);
    assertThat(config.uplink().hostName()).isEqualTo("gw.example.com");
    assertThat(config.uplink().credential()).isEqualTo(
        new EdgeConfig.Credential.SasKeyFile(dir.resolve("edge.key"), Duration.ofHours(1)));
    assertThat(config.uplink().maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.leafSecrets()).containsEntry("sensor-1", "sensor-secret");
    assertThat(config.mqtt()).get().satisfies(mqtt -> assertThat(mqtt.bindAddresses()).containsExactly(
        new InetSocketAddress("192.168.1.10", 1883), new InetSocketAddress("fd00::10", 1883)));
    assertThat(config.postureInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.buffer().maxBytes()).isEqualTo(256L << 20);
  }

  @Test
  void namesAnUnknownSectionAndAnUnknownKey() {
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL + "mqtt-tls: {}\n", dir))
        .hasMessageContaining("unknown section 'mqtt-tls'");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile", "keyFile"), dir))
        .hasMessageContaining("uplink").hasMessageContaining("unknown property 'keyFile'");
  }

  @Test
  void readsACertificateCredentialRelativeToTheConfigFile() {
    EdgeConfig config = EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key",
        "certificate: certs/edge.pem, privateKey: certs/edge-key.pem, maxBackoff: 5s"), dir);

    assertThat(config.uplink().credential()).isEqualTo(
        new EdgeConfig.Credential.CertificateFiles(dir.resolve("certs/edge.pem"), dir.resolve("certs/edge-key.pem")));
    assertThat(config.uplink().maxBackoff()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void wantsExactlyOneCredential() {
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key",
        "sasKeyFile: edge.key, certificate: edge.pem, privateKey: edge-key.pem"), dir))
        .hasMessageContaining("give one credential: tpm, sasKeyFile, or certificate + privateKey")
        .hasMessageContaining("this file gives sasKeyFile and certificate/privateKey");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key",
        "sasKeyFile: edge.key, tpm: /dev/tpmrm0"), dir))
        .hasMessageContaining("this file gives tpm and sasKeyFile");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key",
        "tpm: /dev/tpmrm0, certificate: edge.pem"), dir))
        .hasMessageContaining("this file gives tpm and certificate/privateKey");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace(", sasKeyFile: edge.key", ""), dir))
        .hasMessageContaining("the edge needs a credential").hasMessageContaining("certificate + privateKey")
        .hasMessageContaining("tpm (the TPM that holds its key");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key", "certificate: edge.pem"), dir))
        .hasMessageContaining("uplink.privateKey is missing");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key", "privateKey: edge-key.pem"),
        dir)).hasMessageContaining("uplink.certificate is missing");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key",
        "certificate: edge.pem, privateKey: edge-key.pem, tokenLifetime: 1h"), dir))
        .hasMessageContaining("uplink.tokenLifetime applies to SAS tokens (tpm, sasKeyFile) only");
  }

  @Test
  void readsATpmCredentialAndRefusesAnAddressThatIsNotOne() {
    assertThat(EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key",
        "tpm: \"swtpm://127.0.0.1:2321\", tokenLifetime: 30m"), dir).uplink().credential())
        .isEqualTo(new EdgeConfig.Credential.Tpm("swtpm://127.0.0.1:2321", Duration.ofMinutes(30)));
    assertThat(EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key", "tpm: /dev/tpmrm0"), dir).uplink()
        .credential()).isEqualTo(new EdgeConfig.Credential.Tpm("/dev/tpmrm0", Duration.ofHours(1)));
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key", "tpm: \"swtpm://127.0.0.1\""),
        dir)).hasMessageContaining("uplink.tpm: 'swtpm://127.0.0.1' needs a host and a port");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key", "tpm: tpm0"), dir))
        .hasMessageContaining("uplink.tpm: 'tpm0' is not a TPM address");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key", "tpm: \"\""), dir))
        .hasMessageContaining("uplink.tpm");
  }

  @Test
  void boundsTheReconnectDelay() {
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key",
        "sasKeyFile: edge.key, maxBackoff: 100ms"), dir)).hasMessageContaining("uplink.maxBackoff must be 1s to 1h");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sasKeyFile: edge.key",
        "sasKeyFile: edge.key, maxBackoff: soon"), dir)).hasMessageContaining("uplink.maxBackoff");
  }

  @Test
  void listensOnlyOnLiteralAddressesItIsGiven() {
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("\"192.168.1.10:1883\", ", "\"lan-host:1883\", "), dir))
        .hasMessageContaining("mqtt.bind").hasMessageContaining("is not understood").hasMessageContaining("hostnames are not looked up");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("bind: [\"192.168.1.10:1883\", \"[fd00::10]\"]",
        "bind: []"), dir)).hasMessageContaining("never listens on all interfaces unless told");
  }

  @Test
  void refusesAConfigWithoutAnyLocalEndpointOrWithAWeakLeafSecret() {
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.substring(0, MINIMAL.indexOf("mqtt:")), dir))
        .hasMessageContaining("no local endpoint is enabled");
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL.replace("sensor-secret", "short"), dir))
        .hasMessageContaining("sensor-1").hasMessageContaining("at least 8 characters").hasMessageNotContaining("short");
  }

  @Test
  void parsesSizesAndDurations() {
    EdgeConfig config = EdgeConfigFile.parse(MINIMAL + "buffer: {maxBytes: 64MiB, maxAge: 2d}\nposture: {interval: 30s}\n",
        dir);
    assertThat(config.buffer().maxBytes()).isEqualTo(64L << 20);
    assertThat(config.buffer().maxAge()).isEqualTo(Duration.ofDays(2));
    assertThat(config.postureInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> EdgeConfigFile.parse(MINIMAL + "buffer: {maxBytes: lots}\n", dir))
        .hasMessageContaining("buffer.maxBytes").hasMessageContaining("256MiB");
  }

  @Test
  void theWalkthroughsConfigIsValid() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "field-gateway.md"));
    int start = doc.indexOf("```yaml\nedge:") + "```yaml\n".length();
    String yaml = doc.substring(start, doc.indexOf("```", start));

    EdgeConfig config = EdgeConfigFile.parse(yaml, dir);

    assertThat(config.leafSecrets()).containsOnlyKeys("sensor-1", "valve-1");
    assertThat(config.pipeline()).hasSize(4);
    assertThat(config.alarms()).singleElement().satisfies(rule -> assertThat(rule.action().device()).isEqualTo("valve-1"));

    // The other credentials' uplink sections (TPM, certificate), each in place of the first one.
    List<EdgeConfig.Credential> variants = new ArrayList<>();
    for (int at = doc.indexOf("```yaml\nuplink:"); at >= 0; at = doc.indexOf("```yaml\nuplink:", at + 1)) {
      int uplinkStart = at + "```yaml\n".length();
      String uplink = doc.substring(uplinkStart, doc.indexOf("```", uplinkStart));
      String variant = yaml.substring(0, yaml.indexOf("uplink:")) + uplink + yaml.substring(yaml.indexOf("leaves:"));
      variants.add(EdgeConfigFile.parse(variant, dir).uplink().credential());
    }
    assertThat(variants).containsExactly(new EdgeConfig.Credential.Tpm("/dev/tpmrm0", Duration.ofHours(1)),
        new EdgeConfig.Credential.CertificateFiles(dir.resolve("edge-1.pem"), dir.resolve("edge-1-key.pem")));
  }

  @Test
  void refusesAFileOthersMayReadBecauseItHoldsTheLeafSecrets() throws Exception {
    Path file = dir.resolve("edge.yaml");
    Files.writeString(file, MINIMAL);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> EdgeConfigFile.load(file)).hasMessageContaining("chmod 600");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(EdgeConfigFile.load(file).edgeId()).isEqualTo("edge-1");
  }
}
