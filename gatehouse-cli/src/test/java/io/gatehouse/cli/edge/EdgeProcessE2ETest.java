package io.gatehouse.cli.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.process.GatewayProcess;
import io.gatehouse.cli.process.ListeningSockets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse serve} and {@code gatehouse edge --config edge.yaml} as two real processes, with
 * Debian's mosquitto_pub as the leaf: what a user runs, end to end.
 */
class EdgeProcessE2ETest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private GatewayProcess gateway;
  private Process edge;
  private Path edgeLog;
  private int leafPort;

  @BeforeEach
  void start() throws Exception {
    gateway = new GatewayProcess(dir.resolve("gateway"));
    gateway.start();
    JsonNode created = gateway.call("PUT", "/devices/edge-1", "{\"kind\":\"edge\"}", 201);
    gateway.call("PUT", "/devices/sensor-1", "{\"kind\":\"device\",\"parentId\":\"edge-1\"}", 201);
    Path key = dir.resolve("edge-1.key");
    Files.writeString(key, created.get("primaryKey").asText());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    leafPort = GatewayProcess.freePort();
    Path config = dir.resolve("edge.yaml");
    Files.writeString(config, """
        edge: {id: edge-1, dataDirectory: edge-data}
        uplink:
          host: localhost
          port: %d
          hostName: %s
          caCertificate: %s
          sasKeyFile: edge-1.key
        leaves:
          - {id: sensor-1, secret: sensor-secret}
        mqtt:
          bind: ["127.0.0.1:%d"]
        pipeline:
          - {type: transform, scale: {temperature: {factor: 0.1}}}
        """.formatted(gateway.mqttPort(), GatewayProcess.HOST, gateway.caFile(), leafPort));
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    edgeLog = dir.resolve("edge.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "io.gatehouse.cli.Main",
        "edge", "--config", config.toString()));
    edge = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(edgeLog.toFile()).start();
    await().atMost(TIMEOUT).until(() -> !edge.isAlive() || log().contains("uplink connected"));
    assertThat(edge.isAlive()).as(log()).isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    if (edge != null) {
      edge.destroy();
      if (!edge.waitFor(20, TimeUnit.SECONDS)) {
        edge.destroyForcibly();
      }
    }
    gateway.close();
  }

  @Test
  void theEdgeListensOnlyOnItsConfiguredLanAddress() throws Exception {
    assertThat(ListeningSockets.of(edge.pid())).as(log()).containsExactly("tcp 127.0.0.1:" + leafPort);
  }

  @Test
  void aMosquittoLeafsReadingArrivesAtTheServiceGatewayThroughTheEdge() throws Exception {
    Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(leafPort),
        "-i", "sensor-1", "-u", "sensor-1", "-P", "sensor-secret", "-q", "1", "-t", "leaves/sensor-1/telemetry",
        "-m", "{\"temperature\":215}").redirectErrorStream(true).start();
    assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes())).isZero();

    JsonNode stored = await().atMost(TIMEOUT).until(() -> gateway.call("GET", "/telemetry?from=1&limit=100", null, 200)
        .path("items"), items -> items.size() > 0).get(0);
    assertThat(stored.get("deviceId").asText()).isEqualTo("sensor-1");
    assertThat(stored.get("gatewayId").asText()).isEqualTo("edge-1");
    assertThat(stored.get("payload").asText()).contains("\"temperature\":21.5");
  }

  private String log() {
    try {
      return Files.exists(edgeLog) ? Files.readString(edgeLog) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
