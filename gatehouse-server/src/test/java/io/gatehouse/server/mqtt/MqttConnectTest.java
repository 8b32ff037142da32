package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONNECT as the Azure device SDKs send it, over MQTT 3.1.1 and 5, accepted and refused. */
class MqttConnectTest {
  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static String key;

  @BeforeAll
  static void start() {
    bed = new MqttTestBed(directory);
    key = bed.registerDevice("sensor-1");
    bed.registerDevice("disabled-1");
    bed.disableDevice("disabled-1");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void v311DeviceWithSasTokenConnects() {
    try (TestDevice device = TestDevice.v3(bed, "sensor-1")) {
      assertThat(device.connect(MqttTestBed.token("sensor-1", key, Duration.ofHours(1)))).isZero();
      await().untilAsserted(() -> assertThat(bed.audited("mqtt.connect", "")).isTrue());
    }
  }

  @Test
  void v5DeviceWithSasTokenConnectsAndLearnsTheServerLimits() throws Exception {
    try (TestDevice device = TestDevice.v5(bed, "sensor-1")) {
      Mqtt5ConnAck ack = device.connectV5(MqttTestBed.token("sensor-1", key, Duration.ofHours(1)));
      Mqtt5ConnAckRestrictions limits = ack.getRestrictions();
      assertThat(limits.getMaximumPacketSize()).isEqualTo(MqttServerConfig.DEFAULT_MAX_PACKET_BYTES);
      assertThat(limits.getReceiveMaximum()).isEqualTo(64);
      assertThat(limits.getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(limits.isRetainAvailable()).isFalse();
      // Azure's own C2D filter is a wildcard, so it is announced; other filters are still refused (0x87).
      assertThat(limits.isWildcardSubscriptionAvailable()).isTrue();
      assertThat(limits.isSharedSubscriptionAvailable()).isFalse();
      assertThat(limits.areSubscriptionIdentifiersAvailable()).isFalse();
      assertThat(limits.getTopicAliasMaximum()).isZero();
      assertThat(ack.isSessionPresent()).isFalse();
    }
  }

  @Test
  void wrongKeyIsBadCredentials() {
    String wrongKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    assertRefused("sensor-1", MqttTestBed.token("sensor-1", wrongKey, Duration.ofHours(1)), 0x04, 0x86);
    await().untilAsserted(() -> assertThat(bed.audited("mqtt.connect", "signature")).isTrue());
  }

  @Test
  void expiredTokenIsBadCredentials() {
    assertRefused("sensor-1", MqttTestBed.token("sensor-1", key, Duration.ofMinutes(-30)), 0x04, 0x86);
    await().untilAsserted(() -> assertThat(bed.audited("mqtt.connect", "expired")).isTrue());
  }

  @Test
  void unknownDeviceIsBadCredentials() {
    assertRefused("ghost-1", MqttTestBed.token("ghost-1", key, Duration.ofHours(1)), 0x04, 0x86);
    await().untilAsserted(() -> assertThat(bed.audited("mqtt.connect", "no device 'ghost-1'")).isTrue());
  }

  @Test
  void disabledDeviceIsNotAuthorized() {
    // The token is checked first: a disabled device with a good token is "not authorized".
    String disabledKey = bed.store().devices().find("disabled-1").map(d ->
        ((io.gatehouse.core.identity.Authentication.SymmetricKeys) d.authentication()).primaryKey()).orElseThrow();
    assertRefused("disabled-1", MqttTestBed.token("disabled-1", disabledKey, Duration.ofHours(1)), 0x05, 0x87);
    await().untilAsserted(() -> assertThat(bed.audited("mqtt.connect", "disabled")).isTrue());
  }

  @Test
  void moduleClientIdIsRefused() {
    assertRefused("sensor-1/module-a", MqttTestBed.token("sensor-1", key, Duration.ofHours(1)), 0x02, 0x85);
    await().untilAsserted(() -> assertThat(bed.audited("mqtt.connect", "modules are not supported")).isTrue());
  }

  @Test
  void userNameMustNameTheClientIdAndCarryApiVersion() {
    String token = MqttTestBed.token("sensor-1", key, Duration.ofHours(1));
    for (boolean v5 : new boolean[] {false, true}) {
      try (TestDevice device = v5 ? TestDevice.v5(bed, "sensor-1") : TestDevice.v3(bed, "sensor-1")) {
        assertThat(device.connect(MqttTestBed.HOST + "/other-1/?api-version=2021-04-12", token, 60))
            .isEqualTo(v5 ? 0x86 : 0x04);
      }
      try (TestDevice device = v5 ? TestDevice.v5(bed, "sensor-1") : TestDevice.v3(bed, "sensor-1")) {
        assertThat(device.connect(MqttTestBed.HOST + "/sensor-1/?model-id=x", token, 60)).isEqualTo(v5 ? 0x86 : 0x04);
      }
    }
    // Extra query fields and their order do not matter.
    try (TestDevice device = TestDevice.v3(bed, "sensor-1")) {
      assertThat(device.connect(MqttTestBed.HOST + "/sensor-1/?DeviceClientType=c%2F1&api-version=2020-09-30&x=1",
          token, 60)).isZero();
    }
    assertThat(bed.server().refusals().count(MqttRefusal.CONNECT_INVALID)).isGreaterThanOrEqualTo(4);
  }

  private static void assertRefused(String clientId, String token, int v3Code, int v5Code) {
    try (TestDevice device = TestDevice.v3(bed, clientId)) {
      assertThat(device.connect(token)).as("MQTT 3.1.1 CONNACK").isEqualTo(v3Code);
    }
    try (TestDevice device = TestDevice.v5(bed, clientId)) {
      assertThat(device.connect(token)).as("MQTT 5 CONNACK").isEqualTo(v5Code);
    }
  }
}
