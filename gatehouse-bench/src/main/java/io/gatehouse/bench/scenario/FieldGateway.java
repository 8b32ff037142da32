package io.gatehouse.bench.scenario;

import io.gatehouse.bench.Report;
import io.gatehouse.bench.Settings;
import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.DeviceClient;
import io.gatehouse.bench.client.DeviceLogin;
import io.gatehouse.bench.target.EdgeProcess;
import io.gatehouse.bench.target.GatehouseTarget;
import io.gatehouse.bench.target.MosquittoTarget;
import io.gatehouse.bench.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The field gateway (issue 4): N leaves publish QoS 1 JSON readings over plain MQTT, each with a
 * bounded window of unacknowledged publishes. On Gatehouse they go through {@code gatehouse edge}
 * to the service gateway ({@link EdgeRun}: throughput, then draining a buffer after the gateway was
 * down). Mosquitto has no edge: the same leaves publish to its plain listener, which shows what this
 * machine does for plain MQTT.
 */
public final class FieldGateway implements Scenario {
  private static final String KEY = "edge";

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public String title(Settings s) {
    return String.format("edge: %,d leaves, plain MQTT %s, QoS 1, %d-byte JSON readings, window %d per leaf, %d s; "
            + "Gatehouse: leaves → gatehouse edge (pipeline %s, fsync'd disk buffer) → MQTT 5/TLS uplink → "
            + "gatehouse serve, then %,d messages buffered while the gateway is down and drained after its restart; Mosquitto: "
            + "the same leaves straight to its plain listener", s.edgeLeaves(), s.mqttVersion().label(),
        s.payloadBytes(), s.edgeWindow(), s.edgeSeconds(), EdgeProcess.PIPELINE, s.edgeBufferMessages());
  }

  @Override
  public void run(Target target, ClientFactory clients, Settings s, Report report) throws Exception {
    switch (target) {
      case GatehouseTarget gatehouse -> {
        new EdgeRun(gatehouse, clients, s, report).run();
        report.note(KEY, "gatehouse: the edge PUBACKs a leaf once the reading is in its disk buffer (fsync'd); "
            + "\"at the gateway\" counts the readings in the gateway's telemetry log (GET /telemetry), each checked "
            + "by leaf and sequence number, timed by the gateway's enqueue times; cores busy are taken while the "
            + "leaves publish, the edge's CPU per message from their start to the last arrival");
        report.note(KEY, "gatehouse drain: the edge's uplink retries with exponential backoff and full jitter (200 ms "
            + "doubling to the default uplink.maxBackoff of 10 s), so the first message after the restart waits for the edge's next attempt; the drain "
            + "rate runs from the first arrival to the last");
      }
      case MosquittoTarget mosquitto -> reference(mosquitto, clients.plain(mosquitto.plainPort()), s, report);
      default -> report.text(KEY, target.name(), "leaf messages per second", "no edge scenario for this target");
    }
  }

  /** The leaves publish straight to Mosquitto's plain listener: no edge, no second hop. */
  private void reference(MosquittoTarget target, ClientFactory plain, Settings s, Report report) throws Exception {
    String t = target.name();
    List<DeviceLogin> logins = new ArrayList<>();
    for (int i = 0; i < s.edgeLeaves(); i++) {
      logins.add(target.device(i));
    }
    Fleet.Result fleet = Fleet.connect(plain, logins, new byte[0], s.inFlight(),
        Duration.ofSeconds(60 + logins.size() / 50));
    List<DeviceClient> leaves = fleet.connected();
    if (fleet.failed() > 0 || fleet.timedOut()) {
      report.note(KEY, t + ": " + fleet.failed() + " of " + logins.size() + " leaves did not connect: "
          + fleet.failureSummary());
    }
    if (leaves.isEmpty()) {
      report.text(KEY, t, "leaf messages per second", "no leaf connected");
      return;
    }
    try {
      LeafLoad load = new LeafLoad(leaves, s.edgeWindow(), s.payloadBytes());
      load.messages("warm", warmUpMessages(leaves.size()), Duration.ofSeconds(120));
      CpuWindow cpu = CpuWindow.start(target.pid());
      Telemetry.Phase rate = load.forDuration("rate", Duration.ofSeconds(s.edgeSeconds()));
      cpu.stop();
      leafRows(report, t, rate);
      Scenario.cpuRows(report, KEY, target, "", cpu);
      rate.notes(report, KEY, t);
      report.note(KEY, "mosquitto: PUBACK from memory, no second hop: the machine's plain-MQTT figure, not a field "
          + "gateway");
    } finally {
      Fleet.disconnect(leaves, 200);
    }
  }

  /** Before the clock starts: about 50 messages per leaf, at least 2,000 (JIT of servers and generator). */
  static long warmUpMessages(int leaves) {
    return Math.max(2_000, 50L * leaves);
  }

  /** The rows both targets have, under the same names so the table compares them. */
  static void leafRows(Report report, String target, Telemetry.Phase rate) {
    report.add(KEY, target, "leaf messages per second (PUBACKed)", rate.perSecond(), "msg/s");
    report.add(KEY, target, "leaf PUBACK latency p50", rate.latency.percentileMs(50), "ms");
    report.add(KEY, target, "leaf PUBACK latency p99", rate.latency.percentileMs(99), "ms");
    rate.lostRow(report, KEY, target, "");
  }
}
