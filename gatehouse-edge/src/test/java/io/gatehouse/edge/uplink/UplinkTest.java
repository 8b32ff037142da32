package io.gatehouse.edge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.edge.testing.ServiceGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uplink against a real service gateway: carries leaves' messages, hears refusals, rides out an outage. */
class UplinkTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir Path data;
  private ServiceGateway gateway;
  private Uplink uplink;

  @BeforeEach
  void start() throws Exception {
    gateway = new ServiceGateway(data);
    byte[] key = gateway.create("edge-1", "{\"kind\":\"edge\"}");
    gateway.create("leaf-1", "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
    gateway.create("stranger", "{\"kind\":\"device\"}");
    UplinkSettings settings = new UplinkSettings("edge-1", ServiceGateway.HOST, gateway.mqttPort(),
        gateway.caCertificate(), Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofMillis(500), 16);
    uplink = new Uplink(settings, new SasKeyFileCredential(ServiceGateway.HOST, "edge-1", key, Duration.ofHours(1)),
        Clock.systemUTC());
    uplink.start();
    await().atMost(TIMEOUT).until(uplink::isConnected);
  }

  @AfterEach
  void stop() {
    uplink.close();
    gateway.close();
  }

  @Test
  void carriesALeafsMessageWithItsPropertiesAndTheGatewayRecordsTheEdge() throws Exception {
    long from = gateway.gateway().telemetry().nextSequence();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("$.mid", "m-1");
    properties.put("site", "plant 7");

    PublishOutcome outcome = uplink.publish("leaf-1", properties, "{\"t\":20}".getBytes(StandardCharsets.UTF_8))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome).isInstanceOf(PublishOutcome.Accepted.class);
    TelemetryMessage stored = gateway.gateway().telemetry().read(from, 1).getFirst();
    assertThat(stored.deviceId()).isEqualTo("leaf-1");
    assertThat(stored.gatewayId()).isEqualTo("edge-1");
    assertThat(stored.properties().messageId()).isEqualTo("m-1");
    assertThat(stored.properties().application()).containsEntry("site", "plant 7");
  }

  @Test
  void aMessageForADeviceThatIsNotItsChildIsRefusedAndTheUplinkStays() throws Exception {
    PublishOutcome outcome = uplink.publish("stranger", Map.of(), new byte[] {1}).get(TIMEOUT.toSeconds(),
        TimeUnit.SECONDS);

    assertThat(outcome).isInstanceOfSatisfying(PublishOutcome.Refused.class, refused -> {
      assertThat(refused.reasonCode()).isEqualTo(0x87);
    });
    assertThat(uplink.isConnected()).isTrue();
  }

  @Test
  void reconnectsWithAFreshTokenAfterTheGatewayRestarts() throws Exception {
    gateway.stop();
    await().atMost(TIMEOUT).until(() -> !uplink.isConnected());
    // No answer while down: the caller keeps the message (the forwarder's buffer) rather than waiting.
    assertThatThrownBy(() -> uplink.publish("leaf-1", Map.of(), new byte[] {1}).get(TIMEOUT.toSeconds(),
        TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);

    gateway.restart();

    await().atMost(TIMEOUT).until(() -> uplink.isConnected() && uplink.connects() == 2);
    assertThat(uplink.publish("leaf-1", Map.of(), new byte[] {2}).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(PublishOutcome.Accepted.class);
  }
}
