package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Field gateways report their posture over their uplink (MQTT 5, QoS 1, {@code $gatehouse/edge/posture});
 * the gateway keeps the latest per edge and serves it at {@code GET /edges/{id}/posture}. A real
 * MQTT 5 client connects as the edge; every refusal is a PUBACK with its reason code and reason
 * string, audited, and the connection carries on.
 */
class EdgePostureTest {
  private static final String TOPIC = "$gatehouse/edge/posture";
  private static final String REPORT = """
      {"version":"0.1.0-SNAPSHOT","startedAt":"2026-11-21T10:00:00Z","reportedAt":"2026-11-21T10:05:00Z",\
      "uptimeSeconds":300,"credentialKind":"sas-key-file (insecure: key in a file)",\
      "listeners":[{"adapter":"mqtt","addresses":["192.168.1.10:1883"]},{"adapter":"coap","addresses":["192.168.1.10:5684"]}],\
      "leaves":{"configured":12,"connected":7},\
      "buffer":{"messages":0,"bytes":0,"oldestAgeSeconds":0,"dropped":0,"lastDropAt":null},\
      "uplink":{"connects":3}}""";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final GatewayFixture gw = GatewayFixture.perTestClass();
  static DocumentedAnswers documented;
  @RegisterExtension final Mqtt5Devices devices = new Mqtt5Devices(gw);

  @BeforeAll
  static void documented() throws Exception {
    documented = new DocumentedAnswers(gw);
  }

  @Test
  void anEdgesReportIsKeptAsSentAndTheServiceApiShowsTheLatest() throws Exception {
    Mqtt5AsyncClient edge = devices.connect("edge-a", devices.create("edge-a", "{\"kind\":\"edge\"}"));
    Instant before = Instant.now().minusSeconds(1);

    assertThat(publish(edge, REPORT).getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

    // Acknowledged means committed: the API has it at once, as the edge sent it.
    JsonNode shown = posture("edge-a", 200);
    assertThat(shown.path("edgeId").asText()).isEqualTo("edge-a");
    assertThat(Instant.parse(shown.path("receivedAt").asText())).isBetween(before, Instant.now());
    assertThat(shown.path("source").asText()).contains("127.0.0.1");
    assertThat(shown.path("posture")).isEqualTo(JSON.readTree(REPORT));
    assertThat(shown.at("/posture/buffer/lastDropAt").isNull()).isTrue();

    String later = "{\"version\":\"0.1.1\",\"uptimeSeconds\":12.5,\"listeners\":[],\"note\":\"restarted\"}";
    publish(edge, later);
    assertThat(posture("edge-a", 200).path("posture")).isEqualTo(JSON.readTree(later));
  }

  @Test
  void aDeviceThatIsNotAnEdgeIsRefusedWith0x87AndAudited() throws Exception {
    Mqtt5AsyncClient device = devices.connect("plain-a", devices.create("plain-a", "{}"));
    long auditHead = devices.auditHead();

    Mqtt5PubAck refused = refusedPublish(device, REPORT);

    assertThat(refused.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(reasonString(refused)).contains("only field gateways (kind edge)");
    devices.assertAudited(auditHead, "mqtt.publish", "denied", "device 'plain-a' may not report a posture");
    assertThat(device.getState().isConnected()).isTrue();
    assertThat(posture("plain-a", 404).path("detail").asText()).contains("is a device, not a field gateway");
  }

  @Test
  void malformedReportsAreRefusedWith0x99AndTheReasonAndTheConnectionCarriesOn() throws Exception {
    Mqtt5AsyncClient edge = devices.connect("edge-m", devices.create("edge-m", "{\"kind\":\"edge\"}"));
    long auditHead = devices.auditHead();

    assertMalformed(edge, "{\"version\":\"1\",", "not valid UTF-8 JSON");
    assertMalformed(edge, "[1,2]", "must be a JSON object, not array");
    assertMalformed(edge, "{\"uptimeSeconds\":1,\"listeners\":[]}", "needs 'version' as a string; it is missing");
    assertMalformed(edge, "{\"version\":\"1\",\"uptimeSeconds\":\"long\",\"listeners\":[]}",
        "needs 'uptimeSeconds' as a number, not string");
    assertMalformed(edge, "{\"version\":\"1\",\"uptimeSeconds\":1,\"listeners\":{}}",
        "needs 'listeners' as an array, not object");
    assertMalformed(edge, "{\"version\":\"1\",\"version\":\"2\",\"uptimeSeconds\":1,\"listeners\":[]}",
        "Duplicate field 'version'");
    String padding = "x".repeat(16 * 1024);
    assertMalformed(edge, "{\"version\":\"1\",\"uptimeSeconds\":1,\"listeners\":[],\"pad\":\"" + padding + "\"}",
        "at most 16384 are accepted");

    devices.assertAudited(auditHead, "mqtt.publish", "failure", "posture report is not valid UTF-8 JSON");
    devices.assertAudited(auditHead, "mqtt.publish", "failure", "at most 16384 are accepted");
    // Nothing was kept, and the uplink still takes a good report.
    assertThat(posture("edge-m", 404).path("detail").asText()).contains("has not reported its posture yet");
    assertThat(publish(edge, REPORT).getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    posture("edge-m", 200);
  }

  @Test
  void theApiAnswers404DifferentlyForUnknownIdsDevicesAndSilentEdgesAnd403WithoutRegistryRead() throws Exception {
    devices.create("edge-s", "{\"kind\":\"edge\"}");
    devices.create("plain-s", "{}");

    assertThat(posture("nobody", 404).path("detail").asText()).isEqualTo("no field gateway 'nobody'");
    assertThat(posture("plain-s", 404).path("detail").asText())
        .startsWith("'plain-s' is a device, not a field gateway");
    assertThat(posture("edge-s", 404).path("detail").asText())
        .startsWith("field gateway 'edge-s' has not reported its posture yet");

    HttpResponse<String> created = gw.asOperator("PUT", "/services/posture-auditor",
        "{\"permissions\":[{\"permission\":\"audit.read\"}]}");
    HttpResponse<String> denied = gw.as(Json.of(created).path("connectionString").asText(), "GET",
        "/edges/edge-s/posture", null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(documented.verify("GET", "/edges/{id}/posture", denied).path("missingPermission").asText())
        .isEqualTo("registry.read");
  }

  @Test
  void deletingTheEdgeDeletesItsPosture() throws Exception {
    Mqtt5AsyncClient edge = devices.connect("edge-gone", devices.create("edge-gone", "{\"kind\":\"edge\"}"));
    publish(edge, REPORT);
    posture("edge-gone", 200);

    assertThat(gw.asOperator("DELETE", "/devices/edge-gone", null).statusCode()).isEqualTo(204);
    devices.create("edge-gone", "{\"kind\":\"edge\"}");

    assertThat(posture("edge-gone", 404).path("detail").asText()).contains("has not reported");
  }

  private void assertMalformed(Mqtt5AsyncClient edge, String report, String reason) throws Exception {
    Mqtt5PubAck refused = refusedPublish(edge, report);
    assertThat(refused.getReasonCode()).as(reason).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
    assertThat(reasonString(refused)).contains(reason);
    assertThat(edge.getState().isConnected()).isTrue();
  }

  /** GET /edges/{id}/posture as the operator, expecting {@code status}; the answer is checked against openapi.yaml. */
  private static JsonNode posture(String edgeId, int status) throws Exception {
    HttpResponse<String> response = gw.asOperator("GET", "/edges/" + edgeId + "/posture", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return documented.verify("GET", "/edges/{id}/posture", response);
  }

  private static Mqtt5PubAck publish(Mqtt5AsyncClient client, String report) throws Exception {
    Mqtt5PublishResult result = client.publishWith().topic(TOPIC).qos(MqttQos.AT_LEAST_ONCE)
        .payload(report.getBytes(StandardCharsets.UTF_8)).send().get(Mqtt5Devices.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return ((Mqtt5Qos1Result) result).getPubAck();
  }

  private static Mqtt5PubAck refusedPublish(Mqtt5AsyncClient client, String report) {
    Throwable failure = catchThrowable(() -> publish(client, report));
    assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(Mqtt5PubAckException.class);
    return ((Mqtt5PubAckException) failure.getCause()).getMqttMessage();
  }

  private static String reasonString(Mqtt5PubAck ack) {
    return ack.getReasonString().map(Object::toString).orElse("");
  }
}
