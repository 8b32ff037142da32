package io.gatehouse.edge.local.modbus;

import static io.gatehouse.edge.local.modbus.ModbusTestServer.float32;
import static io.gatehouse.edge.local.modbus.ModbusTestServer.int32;
import static io.gatehouse.edge.local.modbus.ModbusTestServer.swapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalpetri.modbus.ExceptionCode;
import io.gatehouse.edge.pipeline.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Polling a real Modbus TCP server over loopback: decoding, change, outage and recovery, backpressure. */
class ModbusPollerTest extends ModbusTestBase {
  @Test
  void decodesAndScalesEveryTypeAndWordOrderInAsFewRequestsAsContiguityAllows() throws Exception {
    server = ModbusTestServer.started();
    server.setHolding(0, -1234 & 0xFFFF);
    server.setHolding(1, 65_000);
    server.setHolding(2, int32(-100_000));
    server.setHolding(4, swapped(int32(3_000_000_000L)));
    server.setHolding(6, float32(3.14f));
    server.setHolding(8, swapped(float32(-2.5f)));
    server.setHolding(10, swapped(int32(-7)));
    server.setInput(10, float32(1013.25f));
    server.setInput(12, 100);
    server.setCoil(0, true);
    server.setDiscrete(3, true);
    poller = start(device("""
        - {field: temperature, kind: holding, address: 0, type: int16, scale: 0.1}
        - {field: rpm, kind: holding, address: 1, type: uint16}
        - {field: energy, kind: holding, address: 2, type: int32}
        - {field: counter, kind: holding, address: 4, type: uint32, little-endian-words: true}
        - {field: ratio, kind: holding, address: 6, type: float32}
        - {field: flow, kind: holding, address: 8, type: float32, little-endian-words: true}
        - {field: delta, kind: holding, address: 10, type: int32, little-endian-words: true}
        - {field: pressure, kind: input, address: 10, type: float32}
        - {field: level, kind: input, address: 12, type: int16, scale: 0.5, offset: -10}
        - {field: running, kind: coil, address: 0}
        - {field: alarm, kind: coil, address: 1, type: bool}
        - {field: door, kind: discrete, address: 3, type: bool}
        """));

    Map<String, Object> reading = nextReading();

    assertThat(reading).containsExactly(
        Map.entry("temperature", -123.4), Map.entry("rpm", 65_000.0), Map.entry("energy", -100_000.0),
        Map.entry("counter", 3_000_000_000.0), Map.entry("ratio", 3.14), Map.entry("flow", -2.5),
        Map.entry("delta", -7.0), Map.entry("pressure", 1013.25), Map.entry("level", 40.0),
        Map.entry("running", true), Map.entry("alarm", false), Map.entry("door", true));
    assertThat(sink.accepted.getFirst().properties()).isEqualTo(Map.of("content-type", "application/json"));
    assertThat(sink.accepted.getFirst().text()).startsWith("{\"temperature\":-123.4,\"rpm\":65000,");
    // Holding 0-11 in one request, input 10-12 in one, coils 0-1 in one, the discrete input alone.
    assertThat(server.reads).containsOnly("FC3 0+12", "FC4 10+3", "FC1 0+2", "FC2 3+1");
  }

  @Test
  void aChangedRegisterShowsUpInTheNextReading() throws Exception {
    server = ModbusTestServer.started();
    server.setHolding(0, 215);
    poller = start(device("- {field: temperature, kind: holding, address: 0, type: int16, scale: 0.1}"));
    assertThat(nextReading()).containsEntry("temperature", 21.5);

    server.setHolding(0, 230);

    await().atMost(PATIENCE).until(() -> lastReading().get("temperature").equals(23.0));
  }

  @Test
  void aStoppedServerDisconnectsTheLeafOnceAndReadingsResumeWhenItIsBack() throws Exception {
    server = ModbusTestServer.started();
    server.setHolding(0, 1);
    poller = start(device("- {field: temperature, kind: holding, address: 0, type: int16}"));
    await().atMost(PATIENCE).until(() -> sink.accepted.size() >= 2);
    assertThat(sink.presence).containsExactly("connected:" + LEAF);

    server.stop();

    await().atMost(PATIENCE).until(() -> sink.presence.contains("disconnected:" + LEAF));
    int readingsWhenDown = sink.accepted.size();
    await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> sink.accepted.size() == readingsWhenDown
        && sink.presence.equals(List.of("connected:" + LEAF, "disconnected:" + LEAF)));
    assertThat(poller.stats(LEAF)).hasValueSatisfying(stats -> {
      assertThat(stats.answering()).isFalse();
      assertThat(stats.failures()).isPositive();
    });

    server.setHolding(0, 2);
    server.start();

    await().atMost(PATIENCE).until(() -> sink.presence.size() == 3);
    assertThat(sink.presence).containsExactly("connected:" + LEAF, "disconnected:" + LEAF, "connected:" + LEAF);
    await().atMost(PATIENCE).until(() -> lastReading().get("temperature").equals(2.0));
    assertThat(poller.stats(LEAF)).hasValueSatisfying(stats -> assertThat(stats.answering()).isTrue());
  }

  @Test
  void failedPollsInARowDisconnectTheLeafThoughItsConnectionStaysOpen() throws Exception {
    server = ModbusTestServer.started();
    poller = start(deviceAt(server.port(), "- {field: t, kind: holding, address: 0, type: int16}",
        "interval: 100ms", "disconnect-after-failures: 3"));
    await().atMost(PATIENCE).until(() -> sink.presence.size() == 1);

    server.failReadsWith(ExceptionCode.SLAVE_DEVICE_FAILURE);

    await().atMost(PATIENCE).until(() -> sink.presence.size() == 2);
    assertThat(sink.presence).containsExactly("connected:" + LEAF, "disconnected:" + LEAF);
    assertThat(poller.stats(LEAF).orElseThrow().failures()).isGreaterThanOrEqualTo(3);

    server.failReadsWith(null);

    await().atMost(PATIENCE).until(() -> sink.presence.size() == 3);
    assertThat(sink.presence).endsWith("connected:" + LEAF);
  }

  @Test
  void aSlowSinkMakesPollsSkippedAndCountedNotQueued() throws Exception {
    server = ModbusTestServer.started();
    sink.holdAcceptance();
    poller = start(device("- {field: temperature, kind: holding, address: 0, type: int16}"));
    CompletableFuture<Void> firstHandOver = sink.nextHeld();
    long pollsSoFar = poller.stats(LEAF).orElseThrow().polls();

    await().atMost(PATIENCE).until(() -> poller.stats(LEAF).orElseThrow().skipped() >= 3);
    assertThat(sink.accepted).hasSize(1);
    assertThat(poller.stats(LEAF).orElseThrow().polls()).isEqualTo(pollsSoFar);

    firstHandOver.complete(null);

    sink.nextHeld().complete(null);
    assertThat(sink.accepted).hasSize(2);
    assertThat(poller.stats(LEAF).orElseThrow().polls()).isEqualTo(pollsSoFar + 1);
  }

  @Test
  void aDeviceAnsweringWithAnExceptionCountsFailuresAndIsNeverConnected() throws Exception {
    server = ModbusTestServer.started();
    poller = start(device("- {field: temperature, kind: holding, address: " + ModbusTestServer.BANK_SIZE
        + ", type: int16}"));

    await().atMost(PATIENCE).until(() -> poller.stats(LEAF).orElseThrow().failures() >= 2);
    assertThat(sink.accepted).isEmpty();
    assertThat(sink.presence).isEmpty();
    assertThat(poller.stats(LEAF).orElseThrow().answering()).isFalse();
  }

  @Test
  void anUnreachableDeviceIsTriedWithBackoffAndNeverConnected() throws Exception {
    poller = start(deviceAt(freePort(), "- {field: t, kind: holding, address: 0, type: int16}", "interval: 100ms"));

    await().atMost(PATIENCE).until(() -> poller.stats(LEAF).orElseThrow().failures() >= 3);
    assertThat(poller.stats(LEAF).orElseThrow().answering()).isFalse();
    assertThat(sink.presence).isEmpty();
    assertThat(sink.accepted).isEmpty();
  }

  @Test
  void listensOnNothing() throws Exception {
    server = ModbusTestServer.started();
    poller = start(device("- {field: t, kind: holding, address: 0, type: int16}"));

    assertThat(poller.name()).isEqualTo("modbus");
    assertThat(poller.boundAddresses()).isEmpty();
  }

  @Test
  void closeReportsAnAnsweringDeviceGone() throws Exception {
    server = ModbusTestServer.started();
    poller = start(device("- {field: t, kind: holding, address: 0, type: int16, writable: true}"));
    await().atMost(PATIENCE).until(() -> sink.presence.size() == 2);

    poller.close();

    assertThat(sink.presence).containsExactly("connected:" + LEAF, "wanted:" + LEAF, "unwanted:" + LEAF,
        "disconnected:" + LEAF);
  }

  private ModbusConfig device(String registers) {
    return deviceAt(server.port(), registers, "interval: 100ms");
  }

  private Map<String, Object> nextReading() {
    await().atMost(PATIENCE).until(() -> !sink.accepted.isEmpty());
    return Reading.fromJson(LEAF, Instant.EPOCH, sink.accepted.getFirst().payload()).fields();
  }}
