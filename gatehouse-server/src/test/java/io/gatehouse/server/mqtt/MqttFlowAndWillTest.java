package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.core.message.TelemetryMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbound window with a small Receive Maximum, and the will message. */
class MqttFlowAndWillTest {
  private static final int RECEIVE_MAXIMUM = 4;

  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static String token;

  @BeforeAll
  static void start() {
    bed = new MqttTestBed(directory, config -> config.withWindows(RECEIVE_MAXIMUM, 16));
    token = MqttTestBed.token("flow-1", bed.registerDevice("flow-1"), Duration.ofHours(1));
    bed.registerDevice("flow-2");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void floodOfQos1PublishesIsAcknowledgedInReceiveOrder() throws Exception {
    int count = 300;
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "flow-1", token));
      assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode().byteValue()).isZero();
      ByteArrayOutputStream flood = new ByteArrayOutputStream();
      for (int id = 1; id <= count; id++) {
        flood.writeBytes(client.encode(publish("devices/flow-1/messages/events/$.mid=flood-" + id, id)));
      }
      client.write(flood.toByteArray()); // far more than the window of 4, all at once
      List<Integer> acknowledged = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        MqttMessage ack = client.read();
        assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        acknowledged.add(((MqttMessageIdVariableHeader) ack.variableHeader()).messageId());
      }
      assertThat(acknowledged).isSorted().hasSize(count).startsWith(1).endsWith(count);
    }
    assertThat(bed.telemetry().stream().filter(m -> m.properties().messageId() != null
        && m.properties().messageId().startsWith("flood-")).count()).isEqualTo(count);
  }

  @Test
  void mqtt5ClientExceedingReceiveMaximumIsDisconnected() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_5, "flow-1", token));
      client.read();
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int id = 1; id <= RECEIVE_MAXIMUM * 3; id++) {
        burst.writeBytes(client.encode(publish("devices/flow-1/messages/events/", id)));
      }
      client.write(burst.toByteArray());
      MqttMessage message;
      do {
        message = client.read();
      } while (message != null && message.fixedHeader().messageType() == MqttMessageType.PUBACK);
      assertThat(message).isNotNull();
      assertThat(((MqttReasonCodeAndPropertiesVariableHeader) message.variableHeader()).reasonCode() & 0xff)
          .isEqualTo(0x93);
    }
  }

  @Test
  void willIsStoredAsTelemetryWhenTheConnectionIsLostButNotAfterDisconnect() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(withWill("devices/flow-1/messages/events/$.mid=will-lost", "gone"));
      assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode().byteValue()).isZero();
    } // socket closed without DISCONNECT
    TelemetryMessage will = await().until(() -> bed.telemetry().stream()
        .filter(m -> "will-lost".equals(m.properties().messageId())).findFirst().orElse(null), m -> m != null);
    assertThat(will.properties().application()).containsEntry("iothub-MessageType", "Will");
    assertThat(new String(will.payload(), StandardCharsets.UTF_8)).isEqualTo("gone");

    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(withWill("devices/flow-1/messages/events/$.mid=will-clean", "unused"));
      client.read();
      client.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE,
          false, 0)));
      assertThat(client.closedByServer()).isTrue();
    }
    // A publish after the clean disconnect proves the will would have been stored by now.
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "flow-1", token));
      client.read();
      client.send(publish("devices/flow-1/messages/events/$.mid=after-clean", 1));
      client.read();
    }
    assertThat(bed.telemetry()).noneMatch(m -> "will-clean".equals(m.properties().messageId()));
  }

  @Test
  void willForAnotherDeviceIsRefused() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(withWill("devices/flow-2/messages/events/", "spoof"));
      MqttConnAckMessage ack = (MqttConnAckMessage) client.read();
      assertThat(ack.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x05);
    }
  }

  private static MqttMessage publish(String topic, int packetId) {
    return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).messageId(packetId)
        .payload(Unpooled.wrappedBuffer(new byte[64])).build();
  }

  private static MqttMessage withWill(String topic, String payload) {
    return MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId("flow-1")
        .cleanSession(true).keepAlive(60).username(MqttTestBed.userName("flow-1"))
        .password(token.getBytes(StandardCharsets.UTF_8)).willFlag(true).willTopic(topic)
        .willMessage(payload.getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_LEAST_ONCE).build();
  }
}
