package io.gatehouse.edge.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.edge.buffer.BufferLimits;
import io.gatehouse.edge.buffer.BufferedMessage;
import io.gatehouse.edge.buffer.ForwardBuffer;
import io.gatehouse.edge.testing.ServiceGateway;
import io.gatehouse.edge.uplink.SasKeyFileCredential;
import io.gatehouse.edge.uplink.Uplink;
import io.gatehouse.edge.uplink.UplinkSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline operation end to end: the service gateway goes away, the edge keeps buffering its leaves'
 * messages on disk, the gateway comes back, and every buffered message arrives once, in order,
 * leaving the buffer only when the gateway acknowledged it.
 */
class ForwarderTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path data;
  @TempDir Path bufferDirectory;
  private ServiceGateway gateway;
  private ForwardBuffer buffer;
  private Uplink uplink;
  private Forwarder forwarder;

  @BeforeEach
  void start() throws Exception {
    gateway = new ServiceGateway(data);
    byte[] key = gateway.create("edge-1", "{\"kind\":\"edge\"}");
    gateway.create("leaf-a", "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
    gateway.create("leaf-b", "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
    gateway.create("not-mine", "{\"kind\":\"device\"}");
    buffer = ForwardBuffer.open(bufferDirectory, BufferLimits.defaults(), Clock.systemUTC());
    uplink = new Uplink(new UplinkSettings("edge-1", ServiceGateway.HOST, gateway.mqttPort(), gateway.caCertificate(),
        Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofMillis(500), 32),
        new SasKeyFileCredential(ServiceGateway.HOST, "edge-1", key, Duration.ofHours(1)), Clock.systemUTC());
    uplink.start();
    await().atMost(TIMEOUT).until(uplink::isConnected);
    forwarder = new Forwarder(buffer, uplink, 32);
    forwarder.start();
  }

  @AfterEach
  void stop() {
    forwarder.close();
    uplink.close();
    buffer.close();
    gateway.close();
  }

  @Test
  void messagesBufferedWhileTheGatewayIsDownArriveOnceAndInOrderAfterItReturns() throws Exception {
    long from = gateway.gateway().telemetry().nextSequence();
    append(0, 50);
    await().atMost(TIMEOUT).until(() -> buffer.stats().isEmpty());

    gateway.stop();
    await().atMost(TIMEOUT).until(() -> !uplink.isConnected());
    append(50, 2_000);
    assertThat(buffer.stats().depthMessages()).isGreaterThan(0);

    gateway.restart();
    await().atMost(TIMEOUT).until(() -> buffer.stats().isEmpty());

    List<String> payloads = new ArrayList<>();
    List<TelemetryMessage> page;
    long next = from;
    while (!(page = gateway.gateway().telemetry().read(next, 1_000)).isEmpty()) {
      page.forEach(m -> payloads.add(m.deviceId() + ":" + new String(m.payload(), StandardCharsets.UTF_8)));
      next = page.getLast().sequence() + 1;
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      expected.add((i % 2 == 0 ? "leaf-a" : "leaf-b") + ":" + i);
    }
    assertThat(payloads).containsExactlyElementsOf(expected);
  }

  @Test
  void aMessageTheGatewayRefusesLeavesTheBufferCountedAndDoesNotHoldUpTheRest() throws Exception {
    buffer.append(new BufferedMessage("not-mine", Map.of(), "x".getBytes(StandardCharsets.UTF_8), Instant.now()))
        .join();
    append(0, 10);

    await().atMost(TIMEOUT).until(() -> buffer.stats().isEmpty());
    assertThat(forwarder.counters().refused()).isEqualTo(1);
    assertThat(forwarder.counters().forwarded()).isEqualTo(10);
  }

  private void append(int fromInclusive, int toExclusive) {
    List<CompletableFuture<Long>> appended = new ArrayList<>();
    for (int i = fromInclusive; i < toExclusive; i++) {
      appended.add(buffer.append(new BufferedMessage(i % 2 == 0 ? "leaf-a" : "leaf-b", Map.of(),
          Integer.toString(i).getBytes(StandardCharsets.UTF_8), Instant.now())));
    }
    appended.forEach(CompletableFuture::join);
  }
}
