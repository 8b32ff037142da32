package io.gatehouse.edge.local.mqtt;

import static io.gatehouse.edge.local.mqtt.TestEndpoint.LEAF;
import static io.gatehouse.edge.local.mqtt.TestEndpoint.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits that only a misbehaving client meets, checked with hand-made bytes over a real socket. */
class LocalMqttLimitsTest {
  private static final byte[] CONNACK_ACCEPTED = {0x20, 0x02, 0x00, 0x00};
  private static final int MAX_PACKET = 1024;

  private static final int WINDOW = 2;

  private final TestEndpoint edge = new TestEndpoint(c -> c.withMaxPacketBytes(MAX_PACKET)
      .withConnectTimeout(Duration.ofMillis(300)).withWindows(WINDOW, 8, 8));

  @AfterEach
  void tearDown() {
    edge.close();
  }

  @Test
  void oversizePacketClosesTheConnectionFromItsHeaderAlone() throws Exception {
    try (RawMqttSocket client = connected()) {
      // PUBLISH QoS 0 announcing 1 MiB (remaining length 0x80 0x80 0x40); the body is never sent.
      client.send(new byte[] {0x30, (byte) 0x80, (byte) 0x80, 0x40});

      assertThat(client.closedByPeer()).isTrue();
    }
    assertThat(edge.sink.accepted).isEmpty();
  }

  @Test
  void packetOfExactlyTheMaximumIsAcceptedAndOneByteMoreIsNot() throws Exception {
    String topic = "leaves/" + LEAF + "/telemetry";
    int overhead = RawMqttSocket.publishQos1(topic, 1, new byte[200]).length - 200; // remaining length takes 2 bytes
    try (RawMqttSocket client = connected()) {
      client.send(RawMqttSocket.publishQos1(topic, 1, new byte[MAX_PACKET - overhead]));
      assertThat(client.read(4)).containsExactly(0x40, 0x02, 0x00, 0x01);

      client.send(RawMqttSocket.publishQos1(topic, 2, new byte[MAX_PACKET - overhead + 1]));
      assertThat(client.closedByPeer()).isTrue();
    }
    assertThat(edge.sink.accepted).hasSize(1);
  }

  @Test
  void packetsFragmentedByteByByteAreReassembled() throws Exception {
    byte[] payload = "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8);
    try (RawMqttSocket client = new RawMqttSocket(edge.port())) {
      client.sendByteByByte(RawMqttSocket.connect(MqttVersion.MQTT_3_1_1, LEAF, PASSWORD));
      assertThat(client.read(4)).isEqualTo(CONNACK_ACCEPTED);
      client.sendByteByByte(RawMqttSocket.publishQos1("leaves/" + LEAF + "/telemetry", 7, payload));

      assertThat(client.read(4)).containsExactly(0x40, 0x02, 0x00, 0x07);
    }
    assertThat(edge.sink.accepted).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
  }

  @Test
  void silentConnectionIsClosedAfterTheConnectTimeout() throws Exception {
    try (RawMqttSocket client = new RawMqttSocket(edge.port())) {
      client.send(new byte[] {0x10}); // the start of a CONNECT, trickling
      assertThat(client.closedByPeer()).isTrue();
    }
  }

  @Test
  void firstPacketMustBeConnect() throws Exception {
    try (RawMqttSocket client = new RawMqttSocket(edge.port())) {
      client.send(new byte[] {(byte) 0xC0, 0x00}); // PINGREQ
      assertThat(client.closedByPeer()).isTrue();
    }
  }

  @Test
  void mqtt31IsRefusedWithUnacceptableProtocolVersion() throws Exception {
    try (RawMqttSocket client = new RawMqttSocket(edge.port())) {
      client.send(RawMqttSocket.connect(MqttVersion.MQTT_3_1, LEAF, PASSWORD));
      assertThat(client.read(4)).containsExactly(0x20, 0x02, 0x00, 0x01);
      assertThat(client.closedByPeer()).isTrue();
    }
  }

  @Test
  void v311ForeignTopicClosesTheConnection() throws Exception {
    try (RawMqttSocket client = connected()) {
      client.send(RawMqttSocket.publishQos1("leaves/leaf-2/telemetry", 1, new byte[] {1}));
      assertThat(client.closedByPeer()).isTrue();
    }
    assertThat(edge.sink.accepted).isEmpty();
  }

  @Test
  void readingStopsWhileTheInboundWindowAwaitsTheSinkAndPubAcksKeepArrivalOrder() throws Exception {
    edge.sink.holdAcceptance();
    String topic = "leaves/" + LEAF + "/telemetry";
    try (RawMqttSocket client = connected()) {
      ByteArrayOutputStream four = new ByteArrayOutputStream();
      for (int id = 1; id <= 4; id++) {
        four.write(RawMqttSocket.publishQos1(topic, id, new byte[] {(byte) id}));
      }
      client.send(four.toByteArray()); // one write: all four arrive in one read

      List<CompletableFuture<Void>> held = new ArrayList<>(List.of(edge.sink.nextHeld(), edge.sink.nextHeld()));
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> edge.sink.accepted.size() == WINDOW);

      held.get(1).complete(null); // out of order: no PUBACK yet, but the window has room again
      held.add(edge.sink.nextHeld());
      held.get(0).complete(null);
      held.add(edge.sink.nextHeld());
      held.forEach(f -> f.complete(null));

      assertThat(client.read(16)).containsExactly(0x40, 2, 0, 1, 0x40, 2, 0, 2, 0x40, 2, 0, 3, 0x40, 2, 0, 4);
    }
    assertThat(edge.sink.accepted).extracting(m -> m.payload()[0]).containsExactly((byte) 1, (byte) 2, (byte) 3,
        (byte) 4);
  }

  @Test
  void silenceBeyondOneAndAHalfKeepAlivesClosesTheConnection() throws Exception {
    try (RawMqttSocket client = new RawMqttSocket(edge.port())) {
      client.send(RawMqttSocket.encode(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
          .clientId(LEAF).username(LEAF).password(PASSWORD.getBytes(StandardCharsets.UTF_8)).keepAlive(1).build()));
      assertThat(client.read(4)).isEqualTo(CONNACK_ACCEPTED);
      long start = System.nanoTime();

      assertThat(client.closedByPeer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> edge.sink.presence.contains("disconnected:" + LEAF));
  }

  private RawMqttSocket connected() throws Exception {
    RawMqttSocket client = new RawMqttSocket(edge.port());
    client.send(RawMqttSocket.connect(MqttVersion.MQTT_3_1_1, LEAF, PASSWORD));
    assertThat(client.read(4)).isEqualTo(CONNACK_ACCEPTED);
    return client;
  }
}
