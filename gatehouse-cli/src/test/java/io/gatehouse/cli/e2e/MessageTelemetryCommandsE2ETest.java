package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.Main;
import io.gatehouse.core.sas.SasSigner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code gatehouse message send|feedback} and {@code gatehouse telemetry read|watch} against a real
 * gateway, with a device on the other end speaking the device HTTPS API: it receives and settles the
 * messages, and sends the telemetry the commands show.
 */
class MessageTelemetryCommandsE2ETest {
  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();
  static HttpClient device;

  @BeforeAll
  static void device() {
    device = HttpClient.newBuilder().sslContext(CliGateway.trusting(gw.data().resolve("ca.pem")))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void closeDevice() {
    device.close();
  }

  @Test
  void sendReachesTheDeviceAndItsFeedbackIsListed() throws Exception {
    String key = createDevice("cli-m1");

    Result sent = gw.ok("message", "send", "cli-m1", "open the valve", "--property", "priority=high", "--property",
        "urgent", "--ttl", "10m", "--ack", "full", "--message-id", "cmd-7", "--correlation-id", "corr-7",
        "--content-type", "text/plain");
    assertThat(sent.out()).containsPattern("(?m)^deviceId:\\s+cli-m1$").containsPattern("(?m)^messageId:\\s+cmd-7$")
        .containsPattern("(?m)^sequence:\\s+\\d+$").contains("expiresAt:");
    JsonNode second = gw.okJson("message", "send", "cli-m1", "second", "--ack", "full", "--message-id", "cmd-8");
    assertThat(Duration.between(Instant.parse(second.path("enqueuedAt").asText()),
        Instant.parse(second.path("expiresAt").asText()))).as("the gateway's default TTL").isEqualTo(Duration.ofHours(1));

    HttpResponse<String> received = deviceCall("GET", "/devices/cli-m1/messages/deviceBound", key, null);
    assertThat(received.statusCode()).isEqualTo(200);
    assertThat(received.body()).isEqualTo("open the valve");
    assertThat(received.headers().firstValue("iothub-messageid")).hasValue("cmd-7");
    assertThat(received.headers().firstValue("iothub-correlationid")).hasValue("corr-7");
    assertThat(received.headers().firstValue("iothub-app-priority")).hasValue("high");
    assertThat(received.headers().firstValue("iothub-ack")).hasValue("full");
    assertThat(deviceCall("DELETE", "/devices/cli-m1/messages/deviceBound/" + lock(received), key, null).statusCode())
        .isEqualTo(204);
    HttpResponse<String> next = deviceCall("GET", "/devices/cli-m1/messages/deviceBound", key, null);
    assertThat(deviceCall("DELETE", "/devices/cli-m1/messages/deviceBound/" + lock(next) + "?reject", key, null)
        .statusCode()).isEqualTo(204);

    Result feedback = gw.ok("message", "feedback");
    assertThat(feedback.out().lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
        .matches("SEQ\\s+TIME\\s+DEVICE\\s+MESSAGE ID\\s+MESSAGE SEQ\\s+STATUS\\s+DESCRIPTION"));
    assertThat(feedback.out()).containsPattern("(?m)^\\d+\\s+\\S+\\s+cli-m1\\s+cmd-7\\s+\\d+\\s+Success")
        .containsPattern("(?m)^\\d+\\s+\\S+\\s+cli-m1\\s+cmd-8\\s+\\d+\\s+Rejected");
    JsonNode page = gw.okJson("message", "feedback", "--limit", "1");
    assertThat(page.path("items")).hasSize(1);
    Result limited = gw.ok("message", "feedback", "--limit", "1");
    assertThat(limited.err()).contains("(more feedback: gatehouse message feedback --from " + page.path("next").asText());
    assertThat(gw.okJson("message", "feedback", "--from", page.path("next").asText()).path("items").get(0)
        .path("statusCode").asText()).isEqualTo("Rejected");
  }

  @Test
  void badMessageOptionsAreUsageErrorsAndRefusalsSayWhy() throws Exception {
    createDevice("cli-m2");
    assertThat(gw.run("message", "send", "cli-m2", "x", "--ttl", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(gw.run("message", "send", "cli-m2", "x", "--ttl", "soon").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(gw.run("message", "send", "cli-m2", "x", "--ack", "sometimes").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(gw.run("message", "send", "cli-m2", "x", "--property", "=v").exitCode()).isEqualTo(ExitCodes.USAGE);
    Result twice = gw.run("message", "send", "cli-m2", "x", "--property", "a=1", "--property", "a=2");
    assertThat(twice.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(twice.err()).contains("--property a is given twice");
    assertThat(gw.run("message", "feedback", "--limit", "0").exitCode()).isEqualTo(ExitCodes.USAGE);

    Result tooLong = gw.run("message", "send", "cli-m2", "x", "--ttl", "3d");
    assertThat(tooLong.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(tooLong.err()).startsWith("error: Bad Request: ttl must be");
    Result nobody = gw.run("message", "send", "cli-nobody", "x");
    assertThat(nobody.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(nobody.err()).contains("no device 'cli-nobody'");

    JsonNode reader = gw.okJson("service", "create", "cli-reader", "--permit", "telemetry.read");
    gw.secret(reader.path("primaryKey").asText());
    gw.secret(reader.path("connectionString").asText());
    Result denied = gw.run("message", "send", "cli-m2", "x", "--credential", reader.path("connectionString").asText());
    assertThat(denied.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(denied.err()).contains("(missing permission: messages.send)");
  }

  @Test
  void readPrintsOnePageOfWhatTheDeviceSent() throws Exception {
    String key = createDevice("cli-t1");
    long first = publish("cli-t1", key, "{\"temp\":21.5}");
    publish("cli-t1", key, "line one\nline two");
    publish("cli-t1", key, "third");

    Result table = gw.ok("telemetry", "read", "--device", "cli-t1", "--from", Long.toString(first));
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).matches("SEQ\\s+TIME\\s+DEVICE\\s+PAYLOAD\\s+PROPERTIES");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).matches(first + "\\s+\\S+\\s+cli-t1\\s+\\{\"temp\":21.5}\\s+unit=C");
    assertThat(lines.get(2)).contains("line one\\nline two");
    assertThat(table.err()).as("the end of the log: no next page").isEmpty();
    Result limited = gw.ok("telemetry", "read", "--device", "cli-t1", "--from", Long.toString(first), "--limit", "2");
    assertThat(limited.out().lines()).hasSize(3);
    assertThat(limited.err()).contains("(next page: gatehouse telemetry read --from " + (first + 2)
        + " --device cli-t1)");

    JsonNode page = gw.okJson("telemetry", "read", "--device", "cli-t1", "--from", Long.toString(first), "--limit", "2");
    assertThat(page.path("items")).hasSize(2);
    assertThat(page.path("items").get(0).path("payload").asText()).isEqualTo("{\"temp\":21.5}");
    assertThat(page.path("next").asLong()).isEqualTo(first + 2);

    assertThat(gw.run("telemetry", "read", "--from", "1", "--from-time", "2025-01-01T00:00:00Z").exitCode())
        .as("--from and --from-time exclude each other").isEqualTo(ExitCodes.USAGE);
    assertThat(gw.run("telemetry", "read", "--from-time", "yesterday").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(gw.run("telemetry", "read", "--limit", "1001").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void watchPrintsMessagesAsTheyArriveAndAConsumerGroupResumesWhereItStopped() throws Exception {
    String key = createDevice("cli-w1");

    try (Watch watch = Watch.start("telemetry", "watch")) {
      watch.awaitConnected();
      publish("cli-w1", key, "first");
      publish("cli-w1", key, "second");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watch.out())
          .containsPattern("(?m)^\\d+\\s+\\S+Z\\s+cli-w1\\s+first\\s+\\[unit=C]$")
          .containsPattern("(?m)^\\d+\\s+\\S+Z\\s+cli-w1\\s+second\\s+\\[unit=C]$"));
      assertThat(watch.stop()).isEqualTo(ExitCodes.OK);
    }

    try (Watch group = Watch.start("telemetry", "watch", "--device", "cli-w1", "--consumer-group", "cli-group",
        "--output", "json")) {
      group.awaitConnected();
      long third = publish("cli-w1", key, "third");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(group.out()).contains("\"third\""));
      JsonNode printed = CliGateway.json(group.out().lines().filter(l -> l.contains("\"third\"")).findFirst()
          .orElseThrow());
      assertThat(printed.path("sequence").asLong()).isEqualTo(third);
      assertThat(printed.path("properties").path("application").path("unit").asText()).isEqualTo("C");
      await().atMost(Duration.ofSeconds(10)).until(() -> committed("cli-group") == third + 1);
      assertThat(group.stop()).isEqualTo(ExitCodes.OK);
    }

    long whileAway = publish("cli-w1", key, "while away");
    try (Watch resumed = Watch.start("telemetry", "watch", "--device", "cli-w1", "--consumer-group", "cli-group")) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(resumed.out())
          .containsPattern("(?m)^" + whileAway + "\\s+\\S+\\s+cli-w1\\s+while away"));
      assertThat(resumed.out()).doesNotContain("third");
      await().atMost(Duration.ofSeconds(10)).until(() -> committed("cli-group") == whileAway + 1);
      assertThat(resumed.stop()).isEqualTo(ExitCodes.OK);
    }

    Result refused = gw.run("telemetry", "watch", "--device", "cli-nobody-registered", "--credential",
        scopedReader());
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.err()).contains("telemetry.read");
  }

  /** `gatehouse telemetry watch …` running in a thread, with its output readable while it runs. */
  private static final class Watch implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger exit = new AtomicInteger(-1);
    private final Thread thread;

    private Watch(String... args) {
      CommandLine cli = Main.commandLine(new Main(gw.env()));
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      thread = Thread.ofPlatform().name("watch").start(() -> exit.set(cli.execute(args)));
    }

    /** Starts once no other stream is open, so that {@link #awaitConnected()} sees this one. */
    static Watch start(String... args) {
      await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0);
      return new Watch(args);
    }

    String out() {
      synchronized (out) {
        return out.toString();
      }
    }

    /** Waits until the gateway holds the watch's stream open, so what is published next reaches it. */
    void awaitConnected() {
      await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 1);
    }

    /** Interrupts the watch as Ctrl-C would end it, and returns its exit code. */
    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(Duration.ofSeconds(10));
      assertThat(thread.isAlive()).as("the watch stopped").isFalse();
      assertThat(err.toString()).as("stderr of the watch: no reconnects, no errors, no secret").isEmpty();
      return exit.get();
    }

    @Override
    public void close() throws InterruptedException {
      if (thread.isAlive()) {
        stop();
      }
    }
  }

  /** Stream producer threads (virtual, gatehouse-stream-N) alive in the gateway, which runs in this JVM. */
  private static long openStreams() {
    try {
      Path dump = Files.createTempFile("threads", ".json");
      Files.delete(dump);
      try {
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
            .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        String text = Files.readString(dump);
        return text.split("\"gatehouse-stream-", -1).length - 1;
      } finally {
        Files.deleteIfExists(dump);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long committed(String group) throws Exception {
    HttpResponse<String> response = gw.httpsGet("/telemetry/consumer-groups/" + group,
        CliGateway.serviceToken(gw.operatorCredential()));
    return response.statusCode() == 200 ? CliGateway.json(response.body()).path("next").asLong() : -1;
  }

  private static String scopedReader() {
    JsonNode reader = gw.okJson("service", "create", "cli-scoped", "--permit", "telemetry.read:tag=site=x");
    gw.secret(reader.path("primaryKey").asText());
    gw.secret(reader.path("connectionString").asText());
    return reader.path("connectionString").asText();
  }

  /** Creates a device with the CLI; returns its primary key. */
  private static String createDevice(String id) {
    JsonNode created = gw.okJson("device", "create", id);
    gw.secret(created.path("primaryKey").asText());
    gw.secret(created.path("secondaryKey").asText());
    gw.secret(created.path("connectionString").asText());
    return created.path("primaryKey").asText();
  }

  /** Sends telemetry as the device does over HTTPS; returns the message's sequence from the log. */
  private static long publish(String deviceId, String key, String payload) throws Exception {
    long before = lastSequence();
    HttpResponse<String> sent = deviceCall("POST", "/devices/" + deviceId + "/messages/events", key, payload,
        "iothub-app-unit", "C");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(204);
    long after = lastSequence();
    assertThat(after).as("one message appended").isEqualTo(before + 1);
    return after;
  }

  /** The sequence of the newest message in the log (0 if none), read as the operator. */
  private static long lastSequence() throws Exception {
    long from = 1;
    long last = 0;
    while (true) {
      JsonNode page = CliGateway.json(gw.httpsGet("/telemetry?limit=1000&from=" + from,
          CliGateway.serviceToken(gw.operatorCredential())).body());
      if (!page.path("items").isEmpty()) {
        last = page.path("items").get(page.path("items").size() - 1).path("sequence").asLong();
      }
      if (!page.hasNonNull("next")) {
        return last;
      }
      from = page.path("next").asLong();
    }
  }

  private static HttpResponse<String> deviceCall(String method, String path, String key, String body,
      String... headers) throws Exception {
    String deviceId = path.split("/")[2];
    String token = SasSigner.token(CliGateway.HOST + "/devices/" + deviceId, Base64.getDecoder().decode(key),
        Instant.now().plusSeconds(600), null);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + gw.port() + path))
        .timeout(Duration.ofSeconds(20)).header("Authorization", token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return device.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String lock(HttpResponse<String> received) {
    String etag = received.headers().firstValue("ETag").orElseThrow();
    return etag.substring(1, etag.length() - 1);
  }
}
