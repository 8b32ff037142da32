package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.message.TelemetryMessage;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reading the telemetry log as a service: pages from a sequence and from a time, the device
 * filter, what a scoped grant sees, payload encoding, input checks, and consumer groups that
 * survive a restart. Messages are appended straight to the gateway's log, as devices' transports do.
 */
class TelemetryApiTest {
  private static final String READ = "/telemetry";
  private static final String GROUP = "/telemetry/consumer-groups/{name}";

  @RegisterExtension static final GatewayFixture gw = GatewayFixture.perTestClass();
  static DocumentedAnswers doc;

  @BeforeAll
  static void documented() throws Exception {
    doc = new DocumentedAnswers(gw);
  }

  @Test
  void pagesFromASequenceAndFromATime() throws Exception {
    long start = gw.gateway().telemetry().nextSequence();
    List<TelemetryMessage> early = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      early.add(append("p-dev", "early-" + i));
    }
    Instant last = early.get(2).enqueuedAt();
    await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().toEpochMilli() > last.toEpochMilli());
    List<TelemetryMessage> late = List.of(append("p-dev", "late-0"), append("p-dev", "late-1"));

    HttpResponse<String> first = gw.asOperator("GET", READ + "?from=" + start + "&limit=2", null);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode page = doc.verify("GET", READ, first);
    assertThat(payloads(page)).containsExactly("early-0", "early-1");
    assertThat(page.path("next").asLong()).isEqualTo(early.get(1).sequence() + 1);

    JsonNode second = Json.of(gw.asOperator("GET", READ + "?from=" + page.path("next").asLong() + "&limit=3", null));
    assertThat(payloads(second)).containsExactly("early-2", "late-0", "late-1");
    assertThat(second.path("next").asLong()).as("a full page has next, even at the end")
        .isEqualTo(late.get(1).sequence() + 1);
    JsonNode caughtUp = Json.of(gw.asOperator("GET", READ + "?from=" + second.path("next").asLong(), null));
    assertThat(caughtUp.path("items")).isEmpty();
    assertThat(caughtUp.has("next")).as("the end of the log").isFalse();
    JsonNode shortPage = Json.of(gw.asOperator("GET", READ + "?from=" + start + "&limit=100", null));
    assertThat(payloads(shortPage)).hasSize(5);
    assertThat(shortPage.has("next")).isFalse();

    String fromTime = URLEncoder.encode(late.get(0).enqueuedAt().toString(), StandardCharsets.UTF_8);
    JsonNode byTime = Json.of(gw.asOperator("GET", READ + "?fromTime=" + fromTime, null));
    assertThat(payloads(byTime)).containsExactly("late-0", "late-1");
    String withOffset = URLEncoder.encode(late.get(0).enqueuedAt().atOffset(java.time.ZoneOffset.ofHours(2))
        .toString(), StandardCharsets.UTF_8);
    assertThat(payloads(Json.of(gw.asOperator("GET", READ + "?fromTime=" + withOffset, null))))
        .containsExactly("late-0", "late-1");

    JsonNode message = page.path("items").get(0);
    assertThat(message.path("sequence").asLong()).isEqualTo(early.get(0).sequence());
    assertThat(message.path("deviceId").asText()).isEqualTo("p-dev");
    assertThat(Instant.parse(message.path("enqueuedAt").asText())).isEqualTo(early.get(0).enqueuedAt());
    assertThat(message.path("properties").path("messageId").asText()).isEqualTo("early-0-id");
    assertThat(message.path("properties").path("application").path("unit").asText()).isEqualTo("C");
    assertThat(message.path("properties").path("application").has("flag")).isTrue();
    assertThat(message.path("properties").path("application").path("flag").isNull()).isTrue();
    assertThat(message.has("gatewayId")).isFalse();
  }

  @Test
  void payloadsAreTextWhenValidUtf8AndBase64Otherwise() throws Exception {
    long start = gw.gateway().telemetry().nextSequence();
    byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, 0x41};
    append("b-dev", "température ✓".getBytes(StandardCharsets.UTF_8));
    append("b-dev", binary);
    append("b-dev", new byte[0]);

    HttpResponse<String> response = gw.asOperator("GET", READ + "?device=b-dev&from=" + start, null);
    JsonNode items = doc.verify("GET", READ, response).path("items");
    assertThat(items).hasSize(3);
    assertThat(items.get(0).path("payload").asText()).isEqualTo("température ✓");
    assertThat(items.get(0).has("payloadBase64")).isFalse();
    assertThat(items.get(1).has("payload")).isFalse();
    assertThat(Base64.getDecoder().decode(items.get(1).path("payloadBase64").asText())).isEqualTo(binary);
    assertThat(items.get(2).path("payload").asText()).isEmpty();
  }

  @Test
  void theDeviceFilterAndAScopedGrantShowOnlyCoveredDevices() throws Exception {
    gw.asOperator("PUT", "/devices/s-north", "{\"tags\":{\"site\":\"north\"}}");
    gw.asOperator("PUT", "/devices/s-south", "{\"tags\":{\"site\":\"south\"}}");
    gw.asOperator("PUT", "/devices/s-gone", "{\"tags\":{\"site\":\"north\"}}");
    long start = gw.gateway().telemetry().nextSequence();
    append("s-north", "n1");
    append("s-south", "s1");
    append("s-gone", "g1");
    append("s-north", "n2");
    assertThat(gw.asOperator("DELETE", "/devices/s-gone", null).statusCode()).isEqualTo(204);
    String north = service("s-north-reader", "{\"permissions\":[{\"permission\":\"telemetry.read\","
        + "\"tags\":{\"site\":\"north\"}}]}");

    assertThat(payloads(Json.of(gw.asOperator("GET", READ + "?from=" + start, null))))
        .containsExactly("n1", "s1", "g1", "n2");
    assertThat(payloads(Json.of(gw.asOperator("GET", READ + "?device=s-south&from=" + start, null))))
        .containsExactly("s1");
    assertThat(payloads(Json.of(gw.asOperator("GET", READ + "?device=s-gone&from=" + start, null))))
        .as("an unscoped grant still reads a deleted device's messages").containsExactly("g1");

    JsonNode scoped = Json.of(gw.as(north, "GET", READ + "?from=" + start, null));
    assertThat(payloads(scoped)).as("only covered devices, and not the deleted one").containsExactly("n1", "n2");
    JsonNode onePerPage = Json.of(gw.as(north, "GET", READ + "?from=" + start + "&limit=1", null));
    assertThat(payloads(onePerPage)).containsExactly("n1");
    assertThat(payloads(Json.of(gw.as(north, "GET", READ + "?limit=1&from=" + onePerPage.path("next").asLong(),
        null)))).containsExactly("n2");
    assertThat(payloads(Json.of(gw.as(north, "GET", READ + "?device=s-north&from=" + start, null))))
        .containsExactly("n1", "n2");

    HttpResponse<String> uncovered = gw.as(north, "GET", READ + "?device=s-south", null);
    assertThat(uncovered.statusCode()).as(uncovered.body()).isEqualTo(403);
    doc.verify("GET", READ, uncovered);
    assertThat(Json.of(uncovered).path("missingPermission").asText()).isEqualTo("telemetry.read");
    assertThat(gw.as(north, "GET", READ + "?device=s-gone", null).statusCode())
        .as("an unregistered device needs an unscoped grant").isEqualTo(403);
    JsonNode audit = Json.of(gw.asOperator("GET", "/audit?limit=1000", null)).path("items");
    assertThat(audit).anySatisfy(e -> {
      assertThat(e.path("actor").asText()).isEqualTo("service:s-north-reader");
      assertThat(e.path("target").asText()).isEqualTo("device:s-south");
      assertThat(e.path("outcome").asText()).isEqualTo("denied");
    });

    String sender = service("s-sender", "{\"permissions\":[{\"permission\":\"messages.send\"}]}");
    HttpResponse<String> lacking = gw.as(sender, "GET", READ, null);
    assertThat(lacking.statusCode()).isEqualTo(403);
    assertThat(Json.of(lacking).path("missingPermission").asText()).isEqualTo("telemetry.read");
  }

  @Test
  void badQueriesAreA400() throws Exception {
    for (String query : List.of("?from=0", "?from=x", "?fromTime=yesterday", "?from=1&fromTime=2025-01-01T00:00:00Z",
        "?limit=0", "?limit=1001", "?device=a%20b", "?from=1&from=2")) {
      HttpResponse<String> response = gw.asOperator("GET", READ + query, null);
      assertThat(response.statusCode()).as("%s: %s", query, response.body()).isEqualTo(400);
      doc.verify("GET", READ, response);
    }
    assertThat(Json.of(gw.asOperator("GET", READ + "?fromTime=2025-01-01T00:00:00+01:00", null)).path("detail")
        .asText()).as("a '+' that became a space").contains("%2B");
    HttpResponse<String> both = gw.asOperator("GET", "/telemetry/stream?from=1&consumerGroup=g", null);
    assertThat(both.statusCode()).as(both.body()).isEqualTo(400);
    doc.verify("GET", "/telemetry/stream", both);
    HttpResponse<String> badResume = gw.asOperator("GET", "/telemetry/stream", null, "Last-Event-ID", "seven");
    assertThat(badResume.statusCode()).as(badResume.body()).isEqualTo(400);
  }

  @Test
  void consumerGroupsBelongToTheirIdentityAndSurviveARestart() throws Exception {
    String reader = service("g-reader", "{\"permissions\":[{\"permission\":\"telemetry.read\"}]}");
    String other = service("g-other", "{\"permissions\":[{\"permission\":\"telemetry.read\"}]}");

    HttpResponse<String> never = gw.as(reader, "GET", "/telemetry/consumer-groups/pipeline", null);
    assertThat(never.statusCode()).as(never.body()).isEqualTo(404);
    doc.verify("GET", GROUP, never);

    HttpResponse<String> committed = gw.as(reader, "PUT", "/telemetry/consumer-groups/pipeline", "{\"next\":42}");
    assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
    assertThat(doc.verify("PUT", GROUP, committed).path("next").asLong()).isEqualTo(42);
    assertThat(gw.as(other, "GET", "/telemetry/consumer-groups/pipeline", null).statusCode())
        .as("another identity's group of the same name").isEqualTo(404);
    gw.as(other, "PUT", "/telemetry/consumer-groups/pipeline", "{\"next\":7}");

    for (String body : List.of("{}", "{\"next\":0}", "{\"next\":\"x\"}", "{\"next\":5,\"extra\":1}")) {
      HttpResponse<String> bad = gw.as(reader, "PUT", "/telemetry/consumer-groups/pipeline", body);
      assertThat(bad.statusCode()).as("%s: %s", body, bad.body()).isEqualTo(400);
      doc.verify("PUT", GROUP, bad);
    }
    HttpResponse<String> badName = gw.as(reader, "PUT", "/telemetry/consumer-groups/a%20b", "{\"next\":1}");
    assertThat(badName.statusCode()).as(badName.body()).isEqualTo(400);
    HttpResponse<String> tooLong = gw.as(reader, "PUT", "/telemetry/consumer-groups/" + "g".repeat(125), "{\"next\":1}");
    assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
    assertThat(Json.of(tooLong).path("detail").asText()).contains("119");
    String sender = service("g-sender", "{\"permissions\":[{\"permission\":\"messages.send\"}]}");
    HttpResponse<String> denied = gw.as(sender, "PUT", "/telemetry/consumer-groups/pipeline", "{\"next\":1}");
    assertThat(denied.statusCode()).isEqualTo(403);
    doc.verify("PUT", GROUP, denied);

    gw.restart();

    HttpResponse<String> after = gw.as(reader, "GET", "/telemetry/consumer-groups/pipeline", null);
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    JsonNode group = doc.verify("GET", GROUP, after);
    assertThat(group.path("name").asText()).isEqualTo("pipeline");
    assertThat(group.path("next").asLong()).isEqualTo(42);
    assertThat(Json.of(gw.as(other, "GET", "/telemetry/consumer-groups/pipeline", null)).path("next").asLong())
        .isEqualTo(7);
  }

  private static TelemetryMessage append(String deviceId, String payload) {
    Map<String, String> application = new LinkedHashMap<>();
    application.put("unit", "C");
    application.put("flag", null);
    return gw.gateway().telemetry().append(new TelemetryMessage(0, deviceId, null, Instant.now(),
        new MessageProperties(payload + "-id", null, null, "text/plain", null, application),
        payload.getBytes(StandardCharsets.UTF_8))).join();
  }

  private static TelemetryMessage append(String deviceId, byte[] payload) {
    return gw.gateway().telemetry().append(new TelemetryMessage(0, deviceId, null, Instant.now(), null, payload))
        .join();
  }

  private static List<String> payloads(JsonNode page) {
    List<String> payloads = new ArrayList<>();
    page.path("items").forEach(m -> payloads.add(m.path("payload").asText()));
    return payloads;
  }

  private static String service(String name, String body) throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/services/" + name, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Json.of(created).path("connectionString").asText();
  }
}
