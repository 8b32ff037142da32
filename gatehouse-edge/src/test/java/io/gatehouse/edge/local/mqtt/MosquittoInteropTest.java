package io.gatehouse.edge.local.mqtt;

import static io.gatehouse.edge.local.mqtt.TestEndpoint.LEAF;
import static io.gatehouse.edge.local.mqtt.TestEndpoint.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.edge.local.LeafDeliveryException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Interop with Debian's mosquitto clients, the kind of MQTT stack a small leaf runs. */
class MosquittoInteropTest {
  private static final String PAYLOAD = "{\"t\":1}";
  private static final String TELEMETRY = "leaves/" + LEAF + "/telemetry";

  private final TestEndpoint edge = new TestEndpoint();

  @BeforeAll
  static void mosquittoClientsAreInstalled() {
    for (String tool : List.of("mosquitto_pub", "mosquitto_sub")) {
      if (!onPath(tool)) {
        throw new AssertionError(tool + " is not on the PATH; install Debian's mosquitto-clients "
            + "(apt-get install mosquitto-clients) to run these interop tests");
      }
    }
  }

  @AfterEach
  void tearDown() {
    edge.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void publishesTelemetryAtQos1(String version) throws Exception {
    Run run = run("mosquitto_pub", "-V", version, "-u", LEAF, "-P", PASSWORD, "-i", LEAF, "-q", "1",
        "-t", TELEMETRY, "-m", PAYLOAD);

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(edge.sink.accepted).singleElement().satisfies(m -> {
      assertThat(m.leafId()).isEqualTo(LEAF);
      assertThat(m.payload()).isEqualTo(PAYLOAD.getBytes(StandardCharsets.UTF_8));
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void wrongPasswordIsRefusedAndReported(String version) throws Exception {
    Run run = run("mosquitto_pub", "-V", version, "-u", LEAF, "-P", "not-the-password", "-i", LEAF, "-q", "1",
        "-t", TELEMETRY, "-m", PAYLOAD);

    assertThat(run.exitCode()).as(run.output()).isNotZero();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(edge.sink.refusals).singleElement().satisfies(r -> {
          assertThat(r.clientId()).isEqualTo(LEAF);
          assertThat(r.reason()).isEqualTo("wrong password");
        }));
    assertThat(edge.sink.accepted).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void unknownLeafIsRefusedAndReported(String version) throws Exception {
    Run run = run("mosquitto_pub", "-V", version, "-u", "stranger", "-P", "pw", "-i", "stranger", "-q", "1",
        "-t", "leaves/stranger/telemetry", "-m", PAYLOAD);

    assertThat(run.exitCode()).as(run.output()).isNotZero();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(edge.sink.refusals).singleElement().satisfies(r -> {
          assertThat(r.clientId()).isEqualTo("stranger");
          assertThat(r.reason()).isEqualTo("unknown leaf id");
        }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void deliversACommandToMosquittoSub(String version) throws Exception {
    Process sub = start("mosquitto_sub", "-V", version, "-u", LEAF, "-P", PASSWORD, "-i", LEAF, "-q", "1",
        "-t", "leaves/" + LEAF + "/commands", "-C", "1");
    try {
      // deliver() fails at once with NOT_SUBSCRIBED until mosquitto_sub's SUBSCRIBE is in; then it goes out once.
      AtomicReference<CompletableFuture<Void>> delivered = new AtomicReference<>();
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        CompletableFuture<Void> attempt = edge.endpoint.deliver(LEAF, "{\"open\":1}".getBytes(StandardCharsets.UTF_8));
        try {
          attempt.join();
          delivered.set(attempt);
          return true;
        } catch (CompletionException e) {
          if (e.getCause() instanceof LeafDeliveryException d
              && (d.reason() == LeafDeliveryException.Reason.NOT_SUBSCRIBED
                  || d.reason() == LeafDeliveryException.Reason.NOT_CONNECTED)) {
            return false;
          }
          throw e;
        }
      });
      assertThat(sub.waitFor(5, TimeUnit.SECONDS)).as("mosquitto_sub exits after one message").isTrue();
      String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(sub.exitValue()).as(output).isZero();
      assertThat(output.strip()).isEqualTo("{\"open\":1}");
      assertThat(delivered.get()).isCompleted();
    } finally {
      sub.destroyForcibly();
    }
  }

  private record Run(int exitCode, String output) {}

  private Run run(String... command) throws IOException, InterruptedException {
    Process process = start(command);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 10 s");
    }
    return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private Process start(String... command) throws IOException {
    List<String> full = new ArrayList<>(List.of(command));
    full.addAll(1, List.of("-h", "127.0.0.1", "-p", String.valueOf(edge.port())));
    return new ProcessBuilder(full).redirectErrorStream(true).start();
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
