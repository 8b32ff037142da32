package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.sas.SasSigner;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cloud-to-device messages from the service side: sending under a scoped grant, the inbox limit,
 * input checks, and feedback that reaches its sender only. Devices settle through the device HTTPS
 * API, as a real device would. Every answer is checked against openapi.yaml.
 */
class MessageApiTest {
  private static final String SEND = "/devices/{id}/messages/devicebound";
  private static final String FEEDBACK = "/messages/feedback";

  @RegisterExtension static final GatewayFixture gw = GatewayFixture.perTestClass();
  static DocumentedAnswers doc;

  @BeforeAll
  static void documented() throws Exception {
    doc = new DocumentedAnswers(gw);
  }

  @Test
  void aScopedSenderReachesCoveredDevicesOnlyAndRefusalsAreAudited() throws Exception {
    device("m-covered", "{\"tags\":{\"fleet\":\"blue\"}}");
    device("m-other", "{\"tags\":{\"fleet\":\"red\"}}");
    String sender = service("m-sender", "{\"permissions\":[{\"permission\":\"messages.send\","
        + "\"tags\":{\"fleet\":\"blue\"}}]}");

    HttpResponse<String> sent = gw.as(sender, "POST", "/devices/m-covered/messages/devicebound",
        "{\"payload\":\"reboot\",\"messageId\":\"cmd-1\",\"ttlSeconds\":600}");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
    JsonNode view = doc.verify("POST", SEND, sent);
    assertThat(view.path("deviceId").asText()).isEqualTo("m-covered");
    assertThat(view.path("messageId").asText()).isEqualTo("cmd-1");
    assertThat(view.path("sequence").asLong()).isPositive();
    assertThat(Duration.between(Instant.parse(view.path("enqueuedAt").asText()),
        Instant.parse(view.path("expiresAt").asText()))).isEqualTo(Duration.ofSeconds(600));

    HttpResponse<String> uncovered = gw.as(sender, "POST", "/devices/m-other/messages/devicebound",
        "{\"payload\":\"reboot\"}");
    assertThat(uncovered.statusCode()).as(uncovered.body()).isEqualTo(403);
    doc.verify("POST", SEND, uncovered);
    assertThat(Json.of(uncovered).path("missingPermission").asText()).isEqualTo("messages.send");
    assertThat(audit()).anySatisfy(e -> {
      assertThat(e.path("actor").asText()).isEqualTo("service:m-sender");
      assertThat(e.path("action").asText()).isEqualTo("message.send");
      assertThat(e.path("target").asText()).isEqualTo("device:m-other");
      assertThat(e.path("outcome").asText()).isEqualTo("denied");
    });

    HttpResponse<String> unknown = gw.as(sender, "POST", "/devices/m-nobody/messages/devicebound", "{}");
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    doc.verify("POST", SEND, unknown);

    String reader = service("m-reader", "{\"permissions\":[{\"permission\":\"telemetry.read\"}]}");
    HttpResponse<String> noPermission = gw.as(reader, "POST", "/devices/m-covered/messages/devicebound", "{}");
    assertThat(noPermission.statusCode()).isEqualTo(403);
    assertThat(Json.of(noPermission).path("missingPermission").asText()).isEqualTo("messages.send");
  }

  @Test
  void theFiftyFirstMessageIsRefusedWith429() throws Exception {
    device("m-full", "{}");
    for (int i = 1; i <= 50; i++) {
      HttpResponse<String> sent = gw.asOperator("POST", "/devices/m-full/messages/devicebound",
          "{\"payload\":\"n" + i + "\"}");
      assertThat(sent.statusCode()).as("message %d: %s", i, sent.body()).isEqualTo(201);
    }
    HttpResponse<String> full = gw.asOperator("POST", "/devices/m-full/messages/devicebound", "{\"payload\":\"n51\"}");
    assertThat(full.statusCode()).as(full.body()).isEqualTo(429);
    doc.verify("POST", SEND, full);
    assertThat(Json.of(full).path("detail").asText()).contains("50");
  }

  @Test
  void badInputIsA400ThatSaysWhatIsWrong() throws Exception {
    device("m-input", "{}");
    String path = "/devices/m-input/messages/devicebound";
    assertBadRequest(path, "{\"ttlSeconds\":0}", "ttlSeconds");
    assertBadRequest(path, "{\"ttlSeconds\":172801}", "ttl");
    assertBadRequest(path, "{\"ack\":\"sometimes\"}", "ack");
    assertBadRequest(path, "{\"payload\":\"a\",\"payloadBase64\":\"YQ==\"}", "not both");
    assertBadRequest(path, "{\"payloadBase64\":\"not base64!\"}", "base64");
    assertBadRequest(path, "{\"payload\":\"a\",\"priority\":1}", "priority");
    assertBadRequest(path, "{\"messageId\":\"" + "x".repeat(129) + "\"}", "message id");
    assertBadRequest("/messages/feedback?limit=0", null, "limit");

    HttpResponse<String> longest = gw.asOperator("POST", path, "{\"ttlSeconds\":172800,\"ack\":\"negative\","
        + "\"payloadBase64\":\"" + Base64.getEncoder().encodeToString(new byte[] {0, 1, (byte) 0xff}) + "\"}");
    assertThat(longest.statusCode()).as(longest.body()).isEqualTo(201);
  }

  @Test
  void feedbackOnCompletedAndRejectedMessagesReachesTheSenderOnly() throws Exception {
    String deviceKey = Json.of(device("m-fb", "{}")).path("primaryKey").asText();
    String permit = "{\"permissions\":[{\"permission\":\"messages.send\"}]}";
    String alice = service("m-alice", permit);
    String bob = service("m-bob", permit);

    long first = Json.of(gw.as(alice, "POST", "/devices/m-fb/messages/devicebound",
        "{\"payload\":\"one\",\"messageId\":\"a-1\",\"ack\":\"full\"}")).path("sequence").asLong();
    long second = Json.of(gw.as(alice, "POST", "/devices/m-fb/messages/devicebound",
        "{\"payload\":\"two\",\"messageId\":\"a-2\",\"ack\":\"full\"}")).path("sequence").asLong();
    gw.as(bob, "POST", "/devices/m-fb/messages/devicebound", "{\"payload\":\"three\",\"ack\":\"none\"}");

    String deviceToken = SasSigner.token(GatewayFixture.HOST + "/devices/m-fb", Base64.getDecoder().decode(deviceKey),
        Instant.now().plusSeconds(600), null);
    settle(deviceToken, "");                  // complete "one"
    settle(deviceToken, "?reject=true");      // reject "two"
    settle(deviceToken, "");                  // complete "three", which asked for no feedback

    HttpResponse<String> page = gw.as(alice, "GET", FEEDBACK, null);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    JsonNode items = doc.verify("GET", FEEDBACK, page).path("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).path("originalMessageId").asText()).isEqualTo("a-1");
    assertThat(items.get(0).path("originalSequence").asLong()).isEqualTo(first);
    assertThat(items.get(0).path("deviceId").asText()).isEqualTo("m-fb");
    assertThat(items.get(0).path("statusCode").asText()).isEqualTo("Success");
    assertThat(items.get(1).path("originalMessageId").asText()).isEqualTo("a-2");
    assertThat(items.get(1).path("originalSequence").asLong()).isEqualTo(second);
    assertThat(items.get(1).path("statusCode").asText()).isEqualTo("Rejected");
    assertThat(Json.of(page).has("next")).as("a short page has no next").isFalse();

    JsonNode paged = Json.of(gw.as(alice, "GET", FEEDBACK + "?limit=1", null));
    assertThat(paged.path("items")).hasSize(1);
    long next = paged.path("next").asLong();
    assertThat(next).isEqualTo(items.get(0).path("sequence").asLong() + 1);
    JsonNode rest = Json.of(gw.as(alice, "GET", FEEDBACK + "?limit=1&from=" + next, null));
    assertThat(rest.path("items").get(0).path("originalMessageId").asText()).isEqualTo("a-2");

    assertThat(Json.of(gw.as(bob, "GET", FEEDBACK, null)).path("items")).isEmpty();
    String reader = service("m-fb-reader", "{\"permissions\":[{\"permission\":\"telemetry.read\"}]}");
    HttpResponse<String> denied = gw.as(reader, "GET", FEEDBACK, null);
    assertThat(denied.statusCode()).isEqualTo(403);
    doc.verify("GET", FEEDBACK, denied);
  }

  /** Receives the next message as the device and completes it, or rejects it with {@code query}. */
  private static void settle(String deviceToken, String query) throws Exception {
    HttpResponse<String> received = gw.send("GET", "/devices/m-fb/messages/deviceBound", null, deviceToken);
    assertThat(received.statusCode()).as(received.body()).isEqualTo(200);
    String etag = received.headers().firstValue("ETag").orElseThrow();
    String lock = etag.substring(1, etag.length() - 1);
    HttpResponse<String> settled = gw.send("DELETE", "/devices/m-fb/messages/deviceBound/" + lock + query, null,
        deviceToken);
    assertThat(settled.statusCode()).as(settled.body()).isEqualTo(204);
  }

  private static void assertBadRequest(String path, String body, String detailMentions) throws Exception {
    HttpResponse<String> response = gw.asOperator(body == null ? "GET" : "POST", path, body);
    assertThat(response.statusCode()).as("%s %s", body, response.body()).isEqualTo(400);
    doc.verify(body == null ? "GET" : "POST", body == null ? FEEDBACK : SEND, response);
    assertThat(Json.of(response).path("detail").asText()).containsIgnoringCase(detailMentions);
  }

  private static HttpResponse<String> device(String id, String body) throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/devices/" + id, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return created;
  }

  /** Creates a service identity; returns its connection string. */
  private static String service(String name, String body) throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/services/" + name, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Json.of(created).path("connectionString").asText();
  }

  private static List<JsonNode> audit() throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    Json.of(gw.asOperator("GET", "/audit?limit=1000", null)).path("items").forEach(entries::add);
    return entries;
  }
}
