package io.gatehouse.edge.runtime;

import static io.gatehouse.edge.runtime.TestEdge.SENSOR;
import static io.gatehouse.edge.runtime.TestEdge.SENSOR_SECRET;
import static io.gatehouse.edge.runtime.TestEdge.VALVE;
import static io.gatehouse.edge.runtime.TestEdge.VALVE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.gatehouse.core.message.TelemetryMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole field gateway against a real service gateway: real MQTT leaves on the LAN side, the
 * pipeline and alarm rules from a real edge.yaml, the disk buffer, and the MQTT 5 uplink.
 */
class EdgeRuntimeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestEdge test;
  private final List<Mqtt5BlockingClient> leaves = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    test = new TestEdge(dir);
    test.start();
    await().atMost(TIMEOUT).until(test.edge::isUplinkConnected);
  }

  @AfterEach
  void stop() {
    leaves.forEach(leaf -> {
      try {
        leaf.disconnect();
      } catch (RuntimeException e) {
        // already gone
      }
    });
    test.close();
  }

  @Test
  void aLeafsReadingReachesTheServiceGatewayTransformedAndCarriedByTheEdge() throws Exception {
    long from = test.gateway.gateway().telemetry().nextSequence();
    Mqtt5BlockingClient sensor = leaf(SENSOR, SENSOR_SECRET);

    sensor.publishWith().topic("leaves/sensor-1/telemetry").qos(MqttQos.AT_LEAST_ONCE)
        .payload(bytes("{\"tempF\":212,\"site\":\"north\"}")).send();
    sensor.publishWith().topic("leaves/sensor-1/telemetry").qos(MqttQos.AT_LEAST_ONCE)
        .payload(bytes("{\"tempF\":-100}")).send(); // -73 °C: the filter keeps it at the edge

    TelemetryMessage stored = await().atMost(TIMEOUT).until(() -> first(from), Optional::isPresent).get();
    JsonNode body = JSON.readTree(stored.payload());
    assertThat(stored.deviceId()).isEqualTo(SENSOR);
    assertThat(stored.gatewayId()).isEqualTo("edge-1");
    assertThat(body.get("temperature").asDouble()).isEqualTo(100.0);
    assertThat(body.get("site").asText()).isEqualTo("north");
    assertThat(body.has("tempF")).isFalse();
    assertThat(stored.properties().contentType()).isEqualTo("application/json");
    // The overheat alarm went upstream as the edge's own events: raised by 212 °F, cleared by -100 °F.
    // The -100 °F reading itself (-73 °C) was dropped by the filter and never left the edge.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(messagesSince(from)).hasSize(3));
    assertThat(messagesSince(from)).filteredOn(m -> m.deviceId().equals(SENSOR)).hasSize(1);
    List<String> alarmStates = new ArrayList<>();
    for (TelemetryMessage event : messagesSince(from)) {
      if (event.deviceId().equals("edge-1")) {
        assertThat(event.properties().application()).containsEntry("gatehouse-event", "alarm");
        assertThat(event.gatewayId()).isNull();
        alarmStates.add(JSON.readTree(event.payload()).get("state").asText());
      }
    }
    assertThat(alarmStates).containsExactly("raised", "cleared");
  }

  @Test
  void aPayloadThatIsNotAJsonObjectIsRefusedWithPayloadFormatInvalid() {
    Mqtt5BlockingClient sensor = leaf(SENSOR, SENSOR_SECRET);

    assertThatThrownBy(() -> sensor.publishWith().topic("leaves/sensor-1/telemetry").qos(MqttQos.AT_LEAST_ONCE)
        .payload(bytes("21.5 degrees")).send())
        .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID));
    assertThat(test.edge.bufferStats().appended()).isZero();
  }

  @Test
  void anAlarmActuatesTheLocalValveWhileTheUplinkIsDown() throws Exception {
    Mqtt5BlockingClient valve = leaf(VALVE, VALVE_SECRET);
    try (Mqtt5BlockingClient.Mqtt5Publishes commands = valve.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      valve.subscribeWith().topicFilter("leaves/valve-1/commands").qos(MqttQos.AT_LEAST_ONCE).send();
      test.gateway.stop();
      await().atMost(TIMEOUT).until(() -> !test.edge.isUplinkConnected());
      Mqtt5BlockingClient sensor = leaf(SENSOR, SENSOR_SECRET);

      long sent = System.nanoTime();
      sensor.publishWith().topic("leaves/sensor-1/telemetry").qos(MqttQos.AT_LEAST_ONCE)
          .payload(bytes("{\"tempF\":95}")).send();
      Optional<Mqtt5Publish> command = commands.receive(5, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

      assertThat(command).as("the valve got the alarm's command").isPresent();
      assertThat(new String(command.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"open\":false}");
      assertThat(millis).as("publish to actuation, with the uplink down").isLessThan(100);
    } finally {
      test.gateway.restart();
    }
  }

  @Test
  void readingsBufferedWhileTheGatewayIsDownArriveExactlyOnceInOrderAfterItReturns() throws Exception {
    long from = test.gateway.gateway().telemetry().nextSequence();
    Mqtt5BlockingClient sensor = leaf(SENSOR, SENSOR_SECRET);
    test.gateway.stop();
    await().atMost(TIMEOUT).until(() -> !test.edge.isUplinkConnected());

    int count = 200;
    for (int i = 0; i < count; i++) {
      sensor.publishWith().topic("leaves/sensor-1/telemetry").qos(MqttQos.AT_LEAST_ONCE)
          .payload(bytes("{\"tempF\":50,\"n\":" + i + "}")).send(); // PUBACK: durable in the edge's buffer
    }
    assertThat(test.edge.bufferStats().depthMessages()).isEqualTo(count);
    test.gateway.restart();

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(messagesSince(from)).hasSize(count));
    List<Integer> order = new ArrayList<>();
    for (TelemetryMessage message : messagesSince(from)) {
      order.add(JSON.readTree(message.payload()).get("n").asInt());
    }
    assertThat(order).containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).boxed().toList());
    await().atMost(TIMEOUT).until(() -> test.edge.bufferStats().isEmpty());
  }

  @Test
  void anUnknownLeafIsRefusedLocallyAndReportedUpstream() throws Exception {
    long from = test.gateway.gateway().telemetry().nextSequence();
    var stranger = MqttClient.builder().useMqttVersion5().identifier("intruder").serverHost("127.0.0.1")
        .serverPort(test.mqttPort()).buildBlocking();

    assertThatThrownBy(() -> stranger.connectWith().simpleAuth().username("intruder").password(bytes("guess-guess"))
        .applySimpleAuth().send()).isInstanceOf(Mqtt5ConnAckException.class)
        .satisfies(e -> assertThat(((Mqtt5ConnAckException) e).getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(messagesSince(from)).anySatisfy(m -> {
      assertThat(m.deviceId()).isEqualTo("edge-1");
      assertThat(m.properties().application()).containsEntry("gatehouse-event", "leaf-refused");
      JsonNode refusal = JSON.readTree(m.payload()).get("refusals").get(0);
      assertThat(refusal.get("clientId").asText()).isEqualTo("intruder");
      assertThat(refusal.get("adapter").asText()).isEqualTo("mqtt");
    }));
  }

  @Test
  void anInboxMessageWaitsUpstreamUntilTheLeafAsksAndIsCompletedOnlyAfterTheLeafAcknowledged() throws Exception {
    JsonNode sent = test.gateway.json("POST", "/devices/valve-1/messages/devicebound",
        "{\"payload\":\"{\\\"open\\\":true}\",\"ack\":\"full\"}");
    assertThat(sent.has("sequence")).as(sent.toString()).isTrue();

    // The valve connects, drops off before subscribing, and comes back: the message was kept upstream meanwhile.
    leaf(VALVE, VALVE_SECRET).disconnect();
    leaves.clear();
    Mqtt5BlockingClient valve = leaf(VALVE, VALVE_SECRET);
    try (Mqtt5BlockingClient.Mqtt5Publishes commands = valve.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      valve.subscribeWith().topicFilter("leaves/valve-1/commands").qos(MqttQos.AT_LEAST_ONCE).send();
      Optional<Mqtt5Publish> command = commands.receive(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      assertThat(command).isPresent();
      assertThat(new String(command.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"open\":true}");
    }
    // The valve's PUBACK (sent by the client on receipt) let the edge complete the message upstream.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(test.gateway.json("GET", "/messages/feedback", null)
        .get("items")).anySatisfy(f -> {
          assertThat(f.get("deviceId").asText()).isEqualTo(VALVE);
          assertThat(f.get("statusCode").asText()).isEqualTo("Success");
        }));
  }

  @Test
  void theEdgeReportsItsPostureAndTheServiceGatewayShowsIt() throws Exception {
    JsonNode report = await().atMost(TIMEOUT).until(() -> test.gateway.call("GET", "/edges/edge-1/posture", null),
        response -> response.statusCode() == 200).body().transform(this::parse);

    JsonNode posture = report.get("posture");
    assertThat(posture.get("credentialKind").asText()).contains("insecure");
    assertThat(posture.get("listeners").get(0).get("adapter").asText()).isEqualTo("mqtt");
    assertThat(posture.get("listeners").get(0).get("addresses").get(0).asText()).isEqualTo("127.0.0.1:" + test.mqttPort());
    assertThat(posture.get("leaves").get("configured").asInt()).isEqualTo(2);
    assertThat(posture.get("buffer").get("dropped").asLong()).isZero();
    assertThat(posture.get("uptimeSeconds").asLong()).isNotNegative();
  }

  private JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Mqtt5BlockingClient leaf(String id, String secret) {
    Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
        .serverPort(test.mqttPort()).buildBlocking();
    client.connectWith().simpleAuth().username(id).password(bytes(secret)).applySimpleAuth().send();
    leaves.add(client);
    return client;
  }

  private Optional<TelemetryMessage> first(long from) {
    return messagesSince(from).stream().filter(m -> m.deviceId().equals(SENSOR)).findFirst();
  }

  private List<TelemetryMessage> messagesSince(long from) {
    return test.gateway.gateway().telemetry().read(from, 10_000);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
