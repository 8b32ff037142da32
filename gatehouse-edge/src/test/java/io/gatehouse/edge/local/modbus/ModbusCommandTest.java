package io.gatehouse.edge.local.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Commands written to a real Modbus TCP server over loopback, and the ones refused before writing. */
class ModbusCommandTest extends ModbusTestBase {
  private static final String REGISTERS = """
      - {field: temperature, kind: holding, address: 0, type: int16, scale: 0.1}
      - {field: setpoint, kind: holding, address: 20, type: uint16, scale: 0.1, writable: true}
      - {field: target, kind: holding, address: 30, type: int32, little-endian-words: true, writable: true}
      - {field: gain, kind: holding, address: 40, type: float32, writable: true}
      - {field: locked, kind: holding, address: 50, type: uint16, writable: true}
      - {field: pump, kind: coil, address: 5, writable: true}
      """;

  @Test
  void writesAHoldingRegisterAndACoilAndCompletesOnceTheDeviceAcknowledged() throws Exception {
    startAnsweringDevice();

    deliver("{\"setpoint\": 21.5, \"pump\": true}").get(5, TimeUnit.SECONDS);

    assertThat(server.holding(20)).isEqualTo(215);
    assertThat(server.coil(5)).isTrue();
    await().atMost(PATIENCE).until(() -> lastReading().get("setpoint").equals(21.5)
        && lastReading().get("pump").equals(true));

    deliver("{\"pump\": false}").get(5, TimeUnit.SECONDS);
    assertThat(server.coil(5)).isFalse();
  }

  @Test
  void writesThirtyTwoBitValuesInTheirWordOrder() throws Exception {
    startAnsweringDevice();

    deliver("{\"target\": -100000, \"gain\": 0.75}").get(5, TimeUnit.SECONDS);

    int[] target = ModbusTestServer.int32(-100_000);
    assertThat(new int[] {server.holding(30), server.holding(31)}).containsExactly(target[1], target[0]);
    assertThat(new int[] {server.holding(40), server.holding(41)}).containsExactly(ModbusTestServer.float32(0.75f));
    await().atMost(PATIENCE).until(() -> lastReading().get("target").equals(-100_000.0)
        && lastReading().get("gain").equals(0.75));
  }

  @Test
  void commandsAreWantedExactlyWhileTheDeviceAnswers() throws Exception {
    startAnsweringDevice();
    assertThat(sink.presence).containsExactly("connected:" + LEAF, "wanted:" + LEAF);

    server.stop();

    await().atMost(PATIENCE).until(() -> sink.presence.size() == 4);
    assertThat(sink.presence).endsWith("unwanted:" + LEAF, "disconnected:" + LEAF);
    assertThat(failure(deliver("{\"setpoint\": 20}")).reason()).isEqualTo(Reason.NOT_CONNECTED);

    server.start();

    await().atMost(PATIENCE).until(() -> sink.presence.size() == 6);
    assertThat(sink.presence).endsWith("connected:" + LEAF, "wanted:" + LEAF);
    deliver("{\"setpoint\": 20}").get(5, TimeUnit.SECONDS);
    assertThat(server.holding(20)).isEqualTo(200);
  }

  @Test
  void unknownAndReadOnlyFieldsAreRefusedNamingTheWritableOnes() throws Exception {
    startAnsweringDevice();

    assertThat(failure(deliver("{\"nope\": 1}"))).satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.REFUSED_BY_LEAF);
      assertThat(e.getMessage()).contains("unknown field 'nope'; writable fields are: setpoint, target, gain, locked, pump");
    });
    assertThat(failure(deliver("{\"temperature\": 20}"))).satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.REFUSED_BY_LEAF);
      assertThat(e.getMessage()).contains("field 'temperature' is read-only (holding register 0 is not marked writable: true");
    });
  }

  @Test
  void valuesOutOfRangeOrOfTheWrongKindAreRefusedAndNothingIsWritten() throws Exception {
    startAnsweringDevice();
    server.setHolding(20, 100);

    assertThat(failure(deliver("{\"pump\": true, \"setpoint\": 7000}"))).satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.REFUSED_BY_LEAF);
      assertThat(e.getMessage()).contains("field 'setpoint': 7000 is out of range for holding register 20 "
          + "(uint16 holds 0 to 65535; with scale 0.1 and offset 0 the value must be between 0 and 6553.5)");
    });
    assertThat(failure(deliver("{\"setpoint\": -1}")).getMessage()).contains("-1 is out of range");
    assertThat(failure(deliver("{\"pump\": 1}")).getMessage())
        .contains("field 'pump' is a coil and takes true or false, not 1");
    assertThat(failure(deliver("{\"setpoint\": \"warm\"}")).getMessage())
        .contains("field 'setpoint' takes a number, not the string \"warm\"");
    assertThat(server.holding(20)).isEqualTo(100);
    assertThat(server.coil(5)).isFalse();
  }

  @Test
  void malformedOrOversizedCommandsAreRefused() throws Exception {
    startAnsweringDevice();

    assertThat(failure(deliver("setpoint=20"))).satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.REFUSED_BY_LEAF);
      assertThat(e.getMessage()).contains("the command must be a JSON object of field values such as {\"setpoint\": 1}");
    });
    assertThat(failure(deliver("{}")).getMessage()).contains("the command names no field");
    assertThat(failure(deliver("{\"setpoint\": 20, \"pad\": \"" + "x".repeat(CommandParser.MAX_COMMAND_BYTES) + "\"}")))
        .satisfies(e -> {
          assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
          assertThat(e.getMessage()).contains("a Modbus device takes at most 4096");
        });
  }

  @Test
  void aModbusExceptionAnswerIsRefusedByLeafNamingTheExceptionCode() throws Exception {
    startAnsweringDevice();
    server.protectFromWrites(50);

    assertThat(failure(deliver("{\"setpoint\": 19, \"locked\": 1}"))).satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.REFUSED_BY_LEAF);
      assertThat(e.getMessage()).contains("the device answered writing 'locked' (holding register 50) with exception "
          + "0x02 ILLEGAL_DATA_ADDRESS to function 0x06 WRITE_SINGLE_REGISTER; already written: setpoint");
    });
    assertThat(server.holding(20)).isEqualTo(190);
  }

  @Test
  void anUnreachableDeviceIsNotConnected() throws Exception {
    poller = start(deviceAt(freePort(), REGISTERS, "interval: 250ms"));
    await().atMost(PATIENCE).until(() -> poller.stats(LEAF).orElseThrow().failures() >= 1);

    assertThat(failure(deliver("{\"setpoint\": 20}"))).satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.NOT_CONNECTED);
      assertThat(e.getMessage()).contains("is not answering; retry once it answers");
    });
    assertThat(failure(poller.deliver("pump-9", bytes("{\"on\": true}")))).satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.NOT_CONNECTED);
      assertThat(e.getMessage()).contains("no Modbus device is configured as this leaf");
    });
  }

  @Test
  void aClosedPollerRefusesCommands() throws Exception {
    startAnsweringDevice();

    poller.close();

    assertThat(failure(deliver("{\"setpoint\": 20}")).reason()).isEqualTo(Reason.ADAPTER_CLOSED);
  }

  private void startAnsweringDevice() throws Exception {
    server = ModbusTestServer.started();
    poller = start(deviceAt(server.port(), REGISTERS, "interval: 250ms"));
    await().atMost(PATIENCE).until(() -> poller.stats(LEAF).orElseThrow().answering());
  }

  private CompletableFuture<Void> deliver(String json) {
    return poller.deliver(LEAF, bytes(json));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static LeafDeliveryException failure(CompletableFuture<Void> delivery) throws Exception {
    try {
      delivery.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(LeafDeliveryException.class);
      return (LeafDeliveryException) e.getCause();
    }
    throw new AssertionError("the command was delivered, but should have failed");
  }}
