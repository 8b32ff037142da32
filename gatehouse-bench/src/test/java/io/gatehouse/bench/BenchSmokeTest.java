package io.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.bench.target.MosquittoTarget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The harness end to end, fast: the --quick telemetry scenario against a Mosquitto the bench starts
 * itself (TLS 1.3, per-device passwords, loopback). Gatehouse is not involved.
 */
class BenchSmokeTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void quickTelemetryAgainstMosquittoPrintsItsFigures() throws Exception {
    assertThat(MosquittoTarget.installed()).as("mosquitto is installed (./mvnw verify installs it: scripts/ensure-test-packages.sh)").isTrue();
    Bench.generatorDefaults();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Bench bench = new Bench(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    Path json = dir.resolve("figures.json");

    int exit = new CommandLine(bench).execute("--target", "mosquitto", "--scenario", "telemetry", "--quick",
        "--work-dir", dir.resolve("work").toString(), "--json", json.toString());

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed + log.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).contains("machine: ").contains("== telemetry").contains("saturated: messages per second");
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.at("/machine/cores").asInt()).isPositive();
    double saturated = Double.NaN;
    double paced = Double.NaN;
    double p99 = Double.NaN;
    for (JsonNode row : root.get("results")) {
      assertThat(row.get("target").asText()).isEqualTo("mosquitto");
      assertThat(row.has("text")).as("no error or unavailable rows: " + row).isFalse();
      switch (row.get("figure").asText()) {
        case "saturated: messages per second" -> saturated = row.get("value").asDouble();
        case "paced: messages per second achieved" -> paced = row.get("value").asDouble();
        case "paced: PUBACK latency p99 (from schedule)" -> p99 = row.get("value").asDouble();
        default -> { }
      }
    }
    assertThat(saturated).isPositive();
    // 2,000 msg/s offered for 2 s: Mosquitto keeps up with that on any machine that runs the tests.
    assertThat(paced).isGreaterThan(1_000);
    assertThat(p99).isPositive();
    // Every published message was acknowledged: no note about failed or unanswered publishes.
    assertThat(root.at("/notes/telemetry").toString()).doesNotContain("unanswered");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void quickEdgeReferencePublishesPlainMqttToMosquitto() throws Exception {
    assertThat(MosquittoTarget.installed()).as("mosquitto is installed").isTrue();
    Bench.generatorDefaults();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Bench bench = new Bench(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    Path json = dir.resolve("edge.json");

    int exit = new CommandLine(bench).execute("--target", "mosquitto", "--scenario", "edge", "--quick", "--duration",
        "1", "--work-dir", dir.resolve("work").toString(), "--json", json.toString());

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed + log.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).contains("== edge").contains("leaf messages per second (PUBACKed)");
    double rate = Double.NaN;
    for (JsonNode row : new ObjectMapper().readTree(json.toFile()).get("results")) {
      assertThat(row.has("text")).as("no error or unavailable rows: " + row).isFalse();
      if (row.get("figure").asText().equals("leaf messages per second (PUBACKed)")) {
        rate = row.get("value").asDouble();
      }
    }
    assertThat(rate).isPositive();
  }
}
