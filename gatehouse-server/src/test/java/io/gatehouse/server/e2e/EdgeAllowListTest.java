package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.gatehouse.core.message.TelemetryMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service gateway's allow-list for field gateways (SAC invariant: the gateway accepts only edges
 * it knows, speaking only for their own enabled children). A real MQTT 5 client connects as the edge
 * over TLS and publishes on its leaves' topics, as `gatehouse edge` does; every refusal is a PUBACK
 * 0x87 (with the reason as reason string) for that message alone, with an audit line, while the
 * uplink and the siblings carry on. Receiving for leaves is {@link EdgeLeafInboxTest}'s subject.
 */
class EdgeAllowListTest {
  private static final Duration TIMEOUT = Mqtt5Devices.TIMEOUT;

  @RegisterExtension static final GatewayFixture gw = GatewayFixture.perTestClass();
  @RegisterExtension final Mqtt5Devices devices = new Mqtt5Devices(gw);

  @Test
  void anEdgePublishesForItsEnabledLeavesAndTheLogRecordsWhichEdgeCarriedThem() throws Exception {
    byte[] edgeKey = create("edge-a", "{\"kind\":\"edge\"}");
    create("a-temp", "{\"kind\":\"device\",\"parentId\":\"edge-a\"}");
    Mqtt5AsyncClient edge = connect("edge-a", edgeKey);
    long from = gw.gateway().telemetry().nextSequence();

    publish(edge, "a-temp", "{\"t\":21.5}");

    TelemetryMessage stored = gw.gateway().telemetry().read(from, 10).getFirst();
    assertThat(stored.deviceId()).isEqualTo("a-temp");
    assertThat(stored.gatewayId()).isEqualTo("edge-a");
    assertThat(new String(stored.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21.5}");
  }

  @Test
  void anEdgeIsRefusedForAnotherEdgesLeafAnUnknownDeviceAndAnUnparentedDeviceAndKeepsItsUplink() throws Exception {
    byte[] edgeKey = create("edge-b", "{\"kind\":\"edge\"}");
    create("edge-c", "{\"kind\":\"edge\"}");
    create("b-own", "{\"kind\":\"device\",\"parentId\":\"edge-b\"}");
    create("c-leaf", "{\"kind\":\"device\",\"parentId\":\"edge-c\"}");
    create("loner", "{\"kind\":\"device\"}");
    Mqtt5AsyncClient edge = connect("edge-b", edgeKey);

    assertRefused(edge, "c-leaf", "not a child of edge 'edge-b'");
    assertRefused(edge, "ghost", "'ghost' is not a registered leaf device");
    assertRefused(edge, "loner", "'loner' is not a registered leaf device");
    // The uplink is still up and its own leaf still gets through.
    publish(edge, "b-own", "{}");
    assertThat(edge.getState().isConnected()).isTrue();
  }

  @Test
  void disablingALeafRefusesItsNextMessageWhileItsSiblingCarriesOn() throws Exception {
    byte[] edgeKey = create("edge-d", "{\"kind\":\"edge\"}");
    create("d-1", "{\"kind\":\"device\",\"parentId\":\"edge-d\"}");
    create("d-2", "{\"kind\":\"device\",\"parentId\":\"edge-d\"}");
    Mqtt5AsyncClient edge = connect("edge-d", edgeKey);
    publish(edge, "d-1", "{}");

    assertThat(gw.asOperator("POST", "/devices/d-1/disable", "{\"reason\":\"tampered\"}").statusCode())
        .isEqualTo(200);

    assertRefused(edge, "d-1", "leaf device 'd-1' is disabled");
    publish(edge, "d-2", "{}");
    assertThat(gw.asOperator("POST", "/devices/d-1/enable", null).statusCode()).isEqualTo(200);
    publish(edge, "d-1", "{}");
  }

  @Test
  void aLeafMovedToAnotherEdgeIsRefusedToItsFormerEdge() throws Exception {
    byte[] edgeKey = create("edge-e", "{\"kind\":\"edge\"}");
    create("edge-f", "{\"kind\":\"edge\"}");
    create("mover", "{\"kind\":\"device\",\"parentId\":\"edge-e\"}");
    Mqtt5AsyncClient edge = connect("edge-e", edgeKey);
    publish(edge, "mover", "{}");

    HttpResponse<String> current = gw.asOperator("GET", "/devices/mover", null);
    String etag = Json.of(current).get("etag").asText();
    assertThat(gw.asOperator("PUT", "/devices/mover", "{\"kind\":\"device\",\"parentId\":\"edge-f\"}",
        "If-Match", etag).statusCode()).isEqualTo(200);

    assertRefused(edge, "mover", "not a child of edge 'edge-e'");
  }

  @Test
  void anEdgeIsGrantedAWiderWindowThanADeviceAndMayFillIt() throws Exception {
    byte[] edgeKey = create("edge-w", "{\"kind\":\"edge\"}");
    create("w-leaf", "{\"kind\":\"device\",\"parentId\":\"edge-w\"}");
    byte[] deviceKey = create("narrow", "{\"kind\":\"device\"}");
    Mqtt5AsyncClient edge = devices.client("edge-w", new CompletableFuture<>(), null);
    Mqtt5AsyncClient device = devices.client("narrow", new CompletableFuture<>(), null);

    // One uplink carries a whole site: a device's window of 64 would cap it at 64 per group commit.
    assertThat(devices.connAck(edge, "edge-w", edgeKey).getRestrictions().getReceiveMaximum()).isEqualTo(512);
    assertThat(devices.connAck(device, "narrow", deviceKey).getRestrictions().getReceiveMaximum()).isEqualTo(64);
    long from = gw.gateway().telemetry().nextSequence();
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sent.add(edge.publishWith().topic("devices/w-leaf/messages/events/").qos(MqttQos.AT_LEAST_ONCE)
          .payload(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)).send());
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(edge.getState().isConnected()).isTrue();
    assertThat(gw.gateway().telemetry().read(from, 1000)).hasSize(500);
  }

  @Test
  void anOrdinaryDeviceCannotSpeakForAnother() throws Exception {
    byte[] key = create("plain", "{\"kind\":\"device\"}");
    create("edge-g", "{\"kind\":\"edge\"}");
    create("g-leaf", "{\"kind\":\"device\",\"parentId\":\"edge-g\"}");
    Mqtt5AsyncClient device = connect("plain", key);

    assertRefused(device, "g-leaf", "only a field gateway (kind edge) speaks for other devices");
  }

  @Test
  void disablingAnEdgeCutsItsUplinkWithinOneSecond() throws Exception {
    byte[] edgeKey = create("edge-h", "{\"kind\":\"edge\"}");
    create("h-leaf", "{\"kind\":\"device\",\"parentId\":\"edge-h\"}");
    CompletableFuture<Void> gone = new CompletableFuture<>();
    Mqtt5AsyncClient edge = devices.connect(devices.client("edge-h", gone, null), "edge-h", edgeKey);
    publish(edge, "h-leaf", "{}");

    assertThat(gw.asOperator("POST", "/devices/edge-h/disable", null).statusCode()).isEqualTo(200);

    gone.get(1, TimeUnit.SECONDS);
  }

  private void assertRefused(Mqtt5AsyncClient client, String leaf, String reason) throws Exception {
    long auditHead = devices.auditHead();
    assertThatThrownBy(() -> publish(client, leaf, "{}"))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(Mqtt5PubAckException.class)
        .satisfies(e -> {
          Mqtt5PubAck ack = ((Mqtt5PubAckException) e).getMqttMessage();
          assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
          assertThat(ack.getReasonString()).hasValueSatisfying(why -> assertThat(why.toString()).contains(reason));
        });
    devices.assertAudited(auditHead, "mqtt.publish", "denied", reason);
  }

  private static void publish(Mqtt5AsyncClient client, String deviceId, String payload) throws Exception {
    client.publishWith().topic("devices/" + deviceId + "/messages/events/").qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8)).send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private byte[] create(String id, String body) throws Exception {
    return devices.create(id, body);
  }

  private Mqtt5AsyncClient connect(String id, byte[] key) throws Exception {
    return devices.connect(id, key);
  }
}
