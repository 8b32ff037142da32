package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.message.TelemetryMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Debian's mosquitto_pub / mosquitto_sub over TLS, as an independent client implementation. */
class MosquittoClientsTest {
  private static final Path PUB = Path.of("/usr/bin/mosquitto_pub");
  private static final Path SUB = Path.of("/usr/bin/mosquitto_sub");

  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static String key;

  @BeforeAll
  static void start() {
    if (!Files.isExecutable(PUB) || !Files.isExecutable(SUB)) {
      fail("mosquitto_pub and mosquitto_sub are needed in /usr/bin: install them with "
          + "'apt-get install mosquitto-clients'");
    }
    bed = new MqttTestBed(directory);
    key = bed.registerDevice("mosq-1");
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "5"})
  void publishesTelemetry(String version) throws Exception {
    String id = "mosquitto-" + version;
    Result result = run(PUB, version, "-q", "1", "-t", "devices/mosq-1/messages/events/%24.mid=" + id + "&source=cli",
        "-m", "hello from mosquitto");
    assertThat(result.exitCode()).as(result.output()).isZero();
    TelemetryMessage stored = bed.telemetry().stream().filter(m -> id.equals(m.properties().messageId()))
        .findFirst().orElseThrow(() -> new AssertionError("not stored: " + result.output()));
    assertThat(stored.properties().application()).containsEntry("source", "cli");
    assertThat(new String(stored.payload(), StandardCharsets.UTF_8)).isEqualTo("hello from mosquitto");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "5"})
  void receivesAnInboxMessage(String version) throws Exception {
    bed.sendToInbox("mosq-1", new MessageProperties("c2d-" + version, null, null, null, null, Map.of("a", "b")),
        "to mosquitto " + version);
    Result result = run(SUB, version, "-q", "1", "-C", "1", "-W", "15", "-v",
        "-t", "devices/mosq-1/messages/devicebound/#");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).startsWith("devices/mosq-1/messages/devicebound/%24.mid=c2d-" + version + "&%24.to=")
        .contains("&a=b ").contains("to mosquitto " + version);
    await().until(() -> bed.inboxDepth("mosq-1") == 0);
  }

  private record Result(int exitCode, String output) {}

  private Result run(Path tool, String version, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tool.toString(), "-h", "localhost", "-p", String.valueOf(bed.port()),
        "--cafile", bed.caFile().toString(), "-V", version, "-i", "mosq-1", "-u", MqttTestBed.userName("mosq-1"),
        "-P", MqttTestBed.token("mosq-1", key, Duration.ofMinutes(10))));
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile(directory, "mosquitto", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(tool.getFileName() + " did not finish within 20 s: " + Files.readString(output));
    }
    return new Result(process.exitValue(), Files.readString(output).trim());
  }
}
