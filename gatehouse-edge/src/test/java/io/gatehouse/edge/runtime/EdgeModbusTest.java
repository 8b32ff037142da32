package io.gatehouse.edge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.edge.local.modbus.ModbusTestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Legacy equipment behind the edge: a Modbus TCP server polled by the edge, its registers at the service gateway. */
class EdgeModbusTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestEdge test;
  private ModbusTestServer boiler;

  @AfterEach
  void stop() throws Exception {
    if (test != null) {
      test.close();
    }
    if (boiler != null) {
      boiler.close();
    }
  }

  @Test
  void aPolledRegisterArrivesScaledAsTheModbusDevicesOwnTelemetry() throws Exception {
    boiler = ModbusTestServer.started();
    boiler.setHolding(0, 215); // 21.5 °C in tenths
    test = new TestEdge(dir);
    test.gateway.create("boiler-1", "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
    test.extraConfig = """
        modbus:
          devices:
            - leaf: boiler-1
              host: 127.0.0.1
              port: %d
              interval: 200ms
              registers:
                - {field: water, kind: holding, address: 0, type: int16, scale: 0.1}
        """.formatted(boiler.port());
    long from = test.gateway.gateway().telemetry().nextSequence();
    test.start();

    TelemetryMessage first = await().atMost(TIMEOUT).until(() -> test.gateway.gateway().telemetry().read(from, 100)
        .stream().filter(m -> m.deviceId().equals("boiler-1")).findFirst(), java.util.Optional::isPresent).get();
    JsonNode body = JSON.readTree(first.payload());
    assertThat(first.gatewayId()).isEqualTo("edge-1");
    assertThat(body.get("water").asDouble()).isEqualTo(21.5);
    assertThat(test.edge.listeners()).containsKey("modbus").satisfies(l -> assertThat(l.get("modbus")).isEmpty());
  }
}
