package io.gatehouse.edge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.edge.testing.ServiceGateway;
import io.gatehouse.edge.testing.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplink of an edge that proves itself with a client certificate: the service gateway's
 * allow-list holds it to its own leaves exactly as it holds a SAS-authenticated edge.
 */
class UplinkCertificateTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir Path data;
  private ServiceGateway gateway;
  private Uplink uplink;

  @BeforeEach
  void start() throws Exception {
    gateway = new ServiceGateway(data.resolve("gateway"));
    TestPki.Issued certificate = TestPki.selfSigned("edge-1");
    gateway.register("edge-1", "{\"kind\":\"edge\",\"authentication\":{\"type\":\"x509-thumbprint\","
        + "\"primaryThumbprint\":\"" + certificate.thumbprint() + "\"}}");
    gateway.create("leaf-1", "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
    gateway.create("edge-2", "{\"kind\":\"edge\"}");
    gateway.create("leaf-of-edge-2", "{\"kind\":\"device\",\"parentId\":\"edge-2\"}");
    gateway.create("stranger", "{\"kind\":\"device\"}");
    certificate.write(data.resolve("edge.pem"), data.resolve("edge-key.pem"));
    UplinkSettings settings = new UplinkSettings("edge-1", ServiceGateway.HOST, gateway.mqttPort(),
        gateway.caCertificate(), Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofMillis(500), 16);
    uplink = new Uplink(settings, X509KeyFileCredential.fromFiles(ServiceGateway.HOST, "edge-1",
        data.resolve("edge.pem"), data.resolve("edge-key.pem"), Instant.now()), Clock.systemUTC());
    uplink.start();
    await().atMost(TIMEOUT).until(uplink::isConnected);
  }

  @AfterEach
  void stop() {
    uplink.close();
    gateway.close();
  }

  @Test
  void carriesItsLeafsMessageAndTheGatewayRecordsTheEdge() throws Exception {
    long from = gateway.gateway().telemetry().nextSequence();

    PublishOutcome outcome = uplink.publish("leaf-1", Map.of("$.mid", "c-1"), new byte[] {1})
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome).isInstanceOf(PublishOutcome.Accepted.class);
    TelemetryMessage stored = gateway.gateway().telemetry().read(from, 1).getFirst();
    assertThat(stored.deviceId()).isEqualTo("leaf-1");
    assertThat(stored.gatewayId()).isEqualTo("edge-1");
  }

  @Test
  void messagesForDevicesThatAreNotItsChildrenAreRefusedAndAuditedWhileTheUplinkStays() throws Exception {
    for (String notMine : new String[] {"stranger", "leaf-of-edge-2", "edge-2", "nobody"}) {
      PublishOutcome outcome = uplink.publish(notMine, Map.of(), new byte[] {1}).get(TIMEOUT.toSeconds(),
          TimeUnit.SECONDS);

      assertThat(outcome).as(notMine).isInstanceOfSatisfying(PublishOutcome.Refused.class,
          refused -> assertThat(refused.reasonCode()).isEqualTo(0x87));
    }
    assertThat(uplink.isConnected()).isTrue();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(gateway.json("GET", "/audit?limit=1000", null).get("items"))
        .anySatisfy(entry -> {
          assertThat(entry.get("actor").asText()).isEqualTo("device:edge-1");
          assertThat(entry.get("action").asText()).isEqualTo("mqtt.publish");
          assertThat(entry.get("outcome").asText()).isEqualTo("denied");
          assertThat(entry.get("reason").asText()).contains("leaf-of-edge-2");
        }));
    assertThat(uplink.publish("leaf-1", Map.of(), new byte[] {2}).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(PublishOutcome.Accepted.class);
  }
}
