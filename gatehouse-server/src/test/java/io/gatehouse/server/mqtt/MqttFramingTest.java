package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte level: fragmentation, size limits before buffering, packet order, protocol levels. */
class MqttFramingTest {
  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static String token;

  @BeforeAll
  static void start() {
    bed = new MqttTestBed(directory, config -> config.withConnectTimeout(Duration.ofMillis(700)));
    token = MqttTestBed.token("raw-1", bed.registerDevice("raw-1"), Duration.ofHours(1));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void connectSentOneByteAtATimeIsAccepted() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      byte[] connect = client.encode(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "raw-1", token));
      client.writeByteByByte(connect);
      MqttConnAckMessage ack = (MqttConnAckMessage) client.read();
      assertThat(ack.variableHeader().connectReturnCode().byteValue()).isZero();
      byte[] publish = client.encode(MqttMessageBuilders.publish().topicName("devices/raw-1/messages/events/")
          .qos(MqttQoS.AT_LEAST_ONCE).messageId(7).payload(Unpooled.wrappedBuffer(new byte[300])).build());
      client.writeByteByByte(publish);
      MqttMessage puback = client.read();
      assertThat(puback.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
    }
  }

  @Test
  void oversizedPacketIsRefusedFromItsHeaderWithoutReadingTheBody() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_5, "raw-1", token));
      assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode().byteValue()).isZero();
      long before = bed.server().refusals().count(MqttRefusal.PACKET_TOO_LARGE);
      long start = System.nanoTime();
      // PUBLISH QoS 0 announcing 10 MB (remaining length 10,000,000 = 0x80 0xAD 0xE2 0x04), then only a few bytes.
      client.write(new byte[] {0x30, (byte) 0x80, (byte) 0xAD, (byte) 0xE2, 0x04, 0x00, 0x05, 'd', 'e', 'v'});
      MqttMessage disconnect = client.read();
      assertThat(disconnect.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
      assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode())
          .isEqualTo((byte) 0x95);
      assertThat(client.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(bed.server().refusals().count(MqttRefusal.PACKET_TOO_LARGE)).isEqualTo(before + 1);
    }
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "raw-1", token));
      client.read();
      client.write(new byte[] {0x30, (byte) 0x80, (byte) 0xAD, (byte) 0xE2, 0x04});
      assertThat(client.closedByServer()).isTrue(); // MQTT 3.1.1: closed without a word
    }
  }

  @Test
  void packetBeforeConnectClosesTheConnection() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.write(new byte[] {(byte) 0xC0, 0x00}); // PINGREQ
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void otherProtocolLevelsGetUnacceptableVersionAndOtherNamesAreClosed() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1, "raw-1", token)); // "MQIsdp" level 3
      MqttConnAckMessage ack = (MqttConnAckMessage) client.read();
      assertThat(ack.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x01);
      assertThat(client.closedByServer()).isTrue();
    }
    try (RawMqttClient client = new RawMqttClient(bed)) {
      // CONNECT, protocol "MQTT" level 6
      client.write(new byte[] {0x10, 0x0d, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x06, 0x02, 0x00, 0x3c, 0x00, 0x01, 'x'});
      MqttConnAckMessage ack = (MqttConnAckMessage) client.read();
      assertThat(ack.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x01);
    }
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.write(new byte[] {0x10, 0x0d, 0x00, 0x04, 'H', 'T', 'T', 'P', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x01, 'x'});
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void secondConnectIsAProtocolError() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_5, "raw-1", token));
      client.read();
      client.send(RawMqttClient.connect(MqttVersion.MQTT_5, "raw-1", token));
      assertThat(disconnectCode(client.read())).isEqualTo(0x82);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void illFormedUtf8InATopicIsMalformed() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_5, "raw-1", token));
      client.read();
      byte[] topic = "devices/raw-1/messages/events/a=".getBytes(StandardCharsets.US_ASCII);
      byte[] packet = new byte[2 + 2 + topic.length + 1 + 1 + 1];
      packet[0] = 0x30;
      packet[1] = (byte) (packet.length - 2);
      packet[3] = (byte) (topic.length + 1);
      System.arraycopy(topic, 0, packet, 4, topic.length);
      packet[4 + topic.length] = (byte) 0xC3; // a lead byte without its continuation byte
      packet[5 + topic.length] = 0x00; // no properties
      packet[6 + topic.length] = 'x';
      client.write(packet);
      assertThat(disconnectCode(client.read())).isEqualTo(0x81);
    }
  }

  @Test
  void qos2IsRefused() throws Exception {
    for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
      try (RawMqttClient client = new RawMqttClient(bed)) {
        client.send(RawMqttClient.connect(version, "raw-1", token));
        client.read();
        client.send(MqttMessageBuilders.publish().topicName("devices/raw-1/messages/events/")
            .qos(MqttQoS.EXACTLY_ONCE).messageId(1).payload(Unpooled.wrappedBuffer(new byte[] {1})).build());
        if (version == MqttVersion.MQTT_5) {
          assertThat(disconnectCode(client.read())).isEqualTo(0x9B);
        }
        assertThat(client.closedByServer()).isTrue();
      }
    }
    assertThat(bed.server().refusals().count(MqttRefusal.QOS_NOT_SUPPORTED)).isEqualTo(2);
  }

  @Test
  void connectMustArriveWithinTheDeadline() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      long start = System.nanoTime();
      client.write(new byte[] {0x10}); // the first byte of a CONNECT, then nothing
      assertThat(client.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
    }
  }

  @Test
  void silentClientIsDisconnectedAfterOneAndAHalfKeepAlives() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("raw-1")
          .cleanSession(true).keepAlive(1).username(MqttTestBed.userName("raw-1"))
          .password(token.getBytes(StandardCharsets.UTF_8)).build());
      client.read();
      long start = System.nanoTime();
      assertThat(disconnectCode(client.read())).isEqualTo(0x8D);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1200), Duration.ofSeconds(4));
    }
  }

  @Test
  void pingIsAnswered() throws Exception {
    try (RawMqttClient client = new RawMqttClient(bed)) {
      client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "raw-1", token));
      client.read();
      client.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
      assertThat(client.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
    }
  }

  private static int disconnectCode(MqttMessage message) {
    assertThat(message).isNotNull();
    assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
    return ((MqttReasonCodeAndPropertiesVariableHeader) message.variableHeader()).reasonCode() & 0xff;
  }
}
