package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The life of a session: takeover, revocation, credential expiry. */
class MqttSessionTest {
  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static String key;

  @BeforeAll
  static void start() {
    bed = new MqttTestBed(directory);
    key = bed.registerDevice("car-1");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void secondConnectionWithTheSameClientIdTakesOver() throws Exception {
    String token = MqttTestBed.token("car-1", key, Duration.ofHours(1));
    try (TestDevice first = TestDevice.v5(bed, "car-1"); TestDevice second = TestDevice.v5(bed, "car-1")) {
      assertThat(first.connect(token)).isZero();
      assertThat(second.connect(token)).isZero();
      assertThat(first.serverDisconnectCode()).isEqualTo(0x8E);
      assertThat(second.isConnected()).isTrue();
      await().untilAsserted(() -> assertThat(bed.sessions().isConnected("car-1")).isTrue());
    }
    try (TestDevice first = TestDevice.v3(bed, "car-1"); TestDevice second = TestDevice.v3(bed, "car-1")) {
      assertThat(first.connect(token)).isZero();
      assertThat(second.connect(token)).isZero();
      first.disconnected.get(10, TimeUnit.SECONDS);
      assertThat(second.isConnected()).isTrue();
    }
  }

  @Test
  void revocationDisconnectsWithinOneSecond() throws Exception {
    String token = MqttTestBed.token("car-1", key, Duration.ofHours(1));
    try (TestDevice v5 = TestDevice.v5(bed, "car-1")) {
      assertThat(v5.connect(token)).isZero();
      await().until(() -> bed.sessions().isConnected("car-1"));
      assertThat(bed.sessions().revoke("car-1")).isTrue();
      await().atMost(Duration.ofSeconds(1)).until(v5.disconnected::isDone);
      assertThat(v5.serverDisconnectCode()).isEqualTo(0x98);
      await().until(() -> bed.audited("mqtt.disconnect", "server_terminated"));
    }
    try (TestDevice v3 = TestDevice.v3(bed, "car-1")) {
      assertThat(v3.connect(token)).isZero();
      await().until(() -> bed.sessions().isConnected("car-1"));
      bed.sessions().revoke("car-1");
      await().atMost(Duration.ofSeconds(1)).until(v3.disconnected::isDone);
    }
  }

  @Test
  void sessionEndsWhenTheTokenExpires() throws Exception {
    try (TestDevice device = TestDevice.v5(bed, "car-1")) {
      assertThat(device.connect(MqttTestBed.token("car-1", key, Duration.ofSeconds(2)))).isZero();
      await().atMost(Duration.ofSeconds(5)).until(device.disconnected::isDone);
      assertThat(device.serverDisconnectCode()).isEqualTo(0xA0);
    }
  }

  @Test
  void closedSessionIsUnregistered() throws Exception {
    try (TestDevice device = TestDevice.v3(bed, "car-1")) {
      device.connect(MqttTestBed.token("car-1", key, Duration.ofHours(1)));
      await().until(() -> bed.sessions().isConnected("car-1"));
    }
    await().until(() -> !bed.sessions().isConnected("car-1"));
  }
}
