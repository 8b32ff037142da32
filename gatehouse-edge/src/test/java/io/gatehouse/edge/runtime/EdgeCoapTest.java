package io.gatehouse.edge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.edge.local.coap.LeafClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A constrained sensor on CoAP over DTLS-PSK behind the edge, its reading at the service gateway. */
class EdgeCoapTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private TestEdge test;

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void aCoapSensorsReadingGoesThroughThePipelineToTheServiceGateway() throws Exception {
    test = new TestEdge(dir);
    test.extraConfig = "coap: {bind: [\"127.0.0.1:0\"]}\n";
    long from = test.gateway.gateway().telemetry().nextSequence();
    test.start();

    try (LeafClient sensor = new LeafClient(TestEdge.SENSOR, TestEdge.SENSOR_SECRET.getBytes(StandardCharsets.UTF_8),
        test.edge.listeners().get("coap").getFirst())) {
      assertThat(sensor.post("/telemetry", "{\"tempF\":50}", MediaTypeRegistry.APPLICATION_JSON).response().getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }

    TelemetryMessage stored = await().atMost(TIMEOUT).until(() -> test.gateway.gateway().telemetry().read(from, 100)
        .stream().filter(m -> m.deviceId().equals(TestEdge.SENSOR)).findFirst(), Optional::isPresent).get();
    assertThat(stored.gatewayId()).isEqualTo("edge-1");
    assertThat(new ObjectMapper().readTree(stored.payload()).get("temperature").asDouble()).isEqualTo(10.0);
  }
}
