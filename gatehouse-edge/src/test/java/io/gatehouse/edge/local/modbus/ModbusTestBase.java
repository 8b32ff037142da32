package io.gatehouse.edge.local.modbus;

import io.gatehouse.edge.local.RecordingLeafSink;
import io.gatehouse.edge.pipeline.Reading;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * A real Modbus TCP server on loopback and the poller under test, both closed after each test, with
 * the readings the poller hands on recorded in {@link #sink}.
 */
abstract class ModbusTestBase {
  static final String LEAF = "boiler-1";
  static final Duration PATIENCE = Duration.ofSeconds(10);

  final RecordingLeafSink sink = new RecordingLeafSink();
  ModbusTestServer server;
  ModbusPoller poller;

  @AfterEach
  void closePollerAndServer() throws Exception {
    if (poller != null) {
      poller.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A started poller of {@code config}, handing its readings to {@link #sink}. */
  ModbusPoller start(ModbusConfig config) {
    ModbusPoller started = new ModbusPoller(config, sink);
    started.start();
    return started;
  }

  /** One device on loopback; {@code settings} are lines such as {@code interval: 100ms}. */
  static ModbusConfig deviceAt(int port, String registers, String... settings) {
    return ModbusConfig.parse("""
        modbus:
          devices:
            - leaf: %s
              host: 127.0.0.1
              port: %d
              unit-id: %d
              %s
              registers:
        %s""".formatted(LEAF, port, ModbusTestServer.UNIT_ID, String.join("\n      ", settings), registers.indent(8)));
  }

  /** A port nothing listens on (free a moment ago): a device that does not answer. */
  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  Map<String, Object> lastReading() {
    return Reading.fromJson(LEAF, Instant.EPOCH, sink.accepted.getLast().payload()).fields();
  }
}
