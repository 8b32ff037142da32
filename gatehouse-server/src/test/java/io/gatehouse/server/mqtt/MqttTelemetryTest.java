package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.gatehouse.core.message.TelemetryMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device-to-cloud messages: stored durably before PUBACK, properties from the Azure property bag. */
class MqttTelemetryTest {
  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static String token;

  @BeforeAll
  static void start() {
    bed = new MqttTestBed(directory);
    token = MqttTestBed.token("meter-1", bed.registerDevice("meter-1"), Duration.ofHours(1));
    bed.registerDevice("meter-2");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void qos1TelemetryFromJavaSdkBagIsDurableWhenAcknowledged() throws Exception {
    byte[] payload = new byte[10_000];
    Arrays.fill(payload, (byte) 0x5a);
    payload[0] = 0;
    try (TestDevice device = TestDevice.v3(bed, "meter-1")) {
      assertThat(device.connect(token)).isZero();
      // As the Java SDK writes it: system keys raw, values encoded, space as %20.
      device.v3.publishWith().topic("devices/meter-1/messages/events/$.mid=java-1&$.ct=application%2Fjson"
          + "&$.ce=utf-8&temp=21.5&room=living%20room&plus=a%2Bb&bare")
          .qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().get(10, TimeUnit.SECONDS);
      // PUBACK came, so the message is in the log already: no waiting.
      TelemetryMessage stored = find("java-1");
      assertThat(stored.deviceId()).isEqualTo("meter-1");
      assertThat(stored.payload()).isEqualTo(payload);
      assertThat(stored.properties().contentType()).isEqualTo("application/json");
      assertThat(stored.properties().contentEncoding()).isEqualTo("utf-8");
      assertThat(stored.properties().application()).containsEntry("temp", "21.5")
          .containsEntry("room", "living room").containsEntry("plus", "a+b").containsEntry("bare", null);
    }
  }

  @Test
  void qos1TelemetryFromCSdkBagOverMqtt5() throws Exception {
    try (TestDevice device = TestDevice.v5(bed, "meter-1")) {
      assertThat(device.connect(token)).isZero();
      Mqtt5PublishResult result = device.v5.publishWith()
          .topic("devices/meter-1/messages/events/%24.mid=c-1&%24.cid=corr%201&%24.uid=user&k%201=v%201/")
          .qos(MqttQos.AT_LEAST_ONCE).payload("{\"t\":1}".getBytes(StandardCharsets.UTF_8)).send()
          .get(10, TimeUnit.SECONDS);
      assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().getCode()).isZero();
      TelemetryMessage stored = find("c-1");
      assertThat(stored.properties().correlationId()).isEqualTo("corr 1");
      assertThat(stored.properties().userId()).isEqualTo("user");
      assertThat(stored.properties().application()).containsEntry("k 1", "v 1");
      assertThat(new String(stored.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":1}");
    }
  }

  @Test
  void topicWithoutTrailingSlashAndQos0AreAccepted() throws Exception {
    try (TestDevice device = TestDevice.v3(bed, "meter-1")) {
      device.connect(token);
      device.v3.publishWith().topic("devices/meter-1/messages/events").qos(MqttQos.AT_MOST_ONCE)
          .payload("qos0-no-slash".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
      await().untilAsserted(() -> assertThat(bed.telemetry()).anyMatch(m ->
          new String(m.payload(), StandardCharsets.UTF_8).equals("qos0-no-slash")));
    }
  }

  @Test
  void retainedMessageIsStoredWithMqttRetainOverMqtt311() throws Exception {
    try (TestDevice device = TestDevice.v3(bed, "meter-1")) {
      device.connect(token);
      device.v3.publishWith().topic("devices/meter-1/messages/events/$.mid=retained-1").qos(MqttQos.AT_LEAST_ONCE)
          .retain(true).payload(new byte[] {1}).send().get(10, TimeUnit.SECONDS);
      assertThat(find("retained-1").properties().application()).containsEntry("mqtt-retain", "true");
    }
  }

  @Test
  void publishToAnotherDevicesTopicIsRefusedAndAudited() throws Exception {
    long before = bed.server().refusals().count(MqttRefusal.FOREIGN_TOPIC);
    try (TestDevice device = TestDevice.v5(bed, "meter-1")) {
      device.connect(token);
      assertThat(device.publishV5("devices/meter-2/messages/events/$.mid=spoof-5", new byte[] {1})).isEqualTo(0x87);
      assertThat(device.isConnected()).isTrue(); // MQTT 5: refused message, connection kept
    }
    try (TestDevice device = TestDevice.v3(bed, "meter-1")) {
      device.connect(token);
      device.v3.publishWith().topic("devices/meter-2/messages/events/$.mid=spoof-3").qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[] {1}).send();
      device.disconnected.get(10, TimeUnit.SECONDS); // MQTT 3.1.1: the connection is closed
    }
    assertThat(bed.telemetry()).noneMatch(m -> m.properties().messageId() != null
        && m.properties().messageId().startsWith("spoof"));
    assertThat(bed.server().refusals().count(MqttRefusal.FOREIGN_TOPIC)).isEqualTo(before + 2);
    await().untilAsserted(() -> assertThat(bed.audited("mqtt.publish", "may publish only as itself")).isTrue());
  }

  @Test
  void publishToAnUnservedTopicIsRefused() throws Exception {
    try (TestDevice device = TestDevice.v5(bed, "meter-1")) {
      device.connect(token);
      assertThat(device.publishV5("$iothub/twin/GET/?$rid=1", new byte[0])).isEqualTo(0x87);
      assertThat(device.publishV5("devices/meter-1/messages/events/$.mid=after-refusal", new byte[0])).isZero();
    }
    assertThat(bed.server().refusals().count(MqttRefusal.UNSERVED_TOPIC)).isPositive();
    await().untilAsserted(() -> assertThat(bed.audited("mqtt.publish", "not served")).isTrue());
  }

  @Test
  void manyPublishesAreAcknowledgedInOrder() throws Exception {
    try (TestDevice device = TestDevice.v5(bed, "meter-1")) {
      device.connect(token);
      var results = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Mqtt5PublishResult>>();
      for (int i = 0; i < 300; i++) {
        results.add(device.v5.publishWith().topic("devices/meter-1/messages/events/$.mid=burst-" + i)
            .qos(MqttQos.AT_LEAST_ONCE).payload(new byte[100]).send());
      }
      for (var result : results) {
        assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result.get(20, TimeUnit.SECONDS)).getPubAck()
            .getReasonCode().getCode()).isZero();
      }
      assertThat(bed.telemetry().stream().filter(m -> m.properties().messageId() != null
          && m.properties().messageId().startsWith("burst-")).count()).isEqualTo(300);
    }
  }

  private static TelemetryMessage find(String messageId) {
    return bed.telemetry().stream().filter(m -> messageId.equals(m.properties().messageId())).findFirst()
        .orElseThrow(() -> new AssertionError("no stored message with id " + messageId));
  }
}
