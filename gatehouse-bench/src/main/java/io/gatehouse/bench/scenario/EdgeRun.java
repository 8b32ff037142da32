package io.gatehouse.bench.scenario;

import io.gatehouse.bench.Report;
import io.gatehouse.bench.Settings;
import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.DeviceLogin;
import io.gatehouse.bench.target.EdgeLeaves;
import io.gatehouse.bench.target.EdgeProcess;
import io.gatehouse.bench.target.GatehouseTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge scenario on Gatehouse: leaves (plain MQTT) → {@code gatehouse edge} (its own process:
 * pipeline, fsync'd disk buffer) → one MQTT 5/TLS uplink → {@code gatehouse serve}. First the
 * throughput of the whole path; then the gateway is stopped, the edge buffers the leaves' messages,
 * the gateway starts again and the time until every buffered message is in its log is taken.
 */
final class EdgeRun {
  static final String EDGE_ID = "bench-edge";
  private static final String KEY = "edge";

  private final GatehouseTarget gateway;
  private final ClientFactory clients;
  private final Settings s;
  private final Report report;
  private final String t;

  EdgeRun(GatehouseTarget gateway, ClientFactory clients, Settings settings, Report report) {
    this.gateway = gateway;
    this.t = gateway.name();
    this.clients = clients;
    this.s = settings;
    this.report = report;
  }

  void run() throws Exception {
    EdgeLeaves leaves = EdgeLeaves.create(EDGE_ID, s.edgeLeaves());
    byte[] edgeKey = gateway.createEdge(leaves);
    try (EdgeProcess edge = gateway.edgeProcess()) {
      edge.start(leaves, edgeKey);
      List<DeviceLogin> logins = new ArrayList<>();
      for (int i = 0; i < leaves.size(); i++) {
        logins.add(leaves.login(i));
      }
      Fleet.Result fleet = Fleet.connect(clients.plain(edge.leafPort()), logins, new byte[0], s.inFlight(),
          Duration.ofSeconds(60 + logins.size() / 50));
      if (fleet.failed() > 0 || fleet.timedOut()) {
        report.note(KEY, t + ": " + fleet.failed() + " of " + logins.size() + " leaves did not connect to the edge: "
            + fleet.failureSummary());
      }
      if (fleet.connected().isEmpty()) {
        report.text(KEY, t, "leaf messages per second", "no leaf connected to the edge; see " + edge.log());
        return;
      }
      try {
        LeafLoad load = new LeafLoad(fleet.connected(), s.edgeWindow(), s.payloadBytes());
        warmUp(load, leaves, fleet.connected().size(), edge);
        throughput(load, leaves, edge);
        drain(load, leaves);
      } finally {
        Fleet.disconnect(fleet.connected(), 200);
      }
    }
  }

  /**
   * Not reported: a few thousand messages through the whole path, awaited at the gateway, so both
   * JVMs run compiled code when the clock starts, and a broken path fails here rather than in a figure.
   */
  private void warmUp(LeafLoad load, EdgeLeaves leaves, int connected, EdgeProcess edge) throws Exception {
    Instant from = Instant.now().minusSeconds(1);
    Telemetry.Phase warm = load.messages("warm", FieldGateway.warmUpMessages(connected), Duration.ofSeconds(120));
    ArrivalTally tally = new ArrivalTally("warm", leaves);
    if (warm.acked.get() == 0 || !tally.await(logSince(from), warm.acked.get(), Duration.ofSeconds(60))) {
      throw new IllegalStateException("warm-up: the edge acknowledged " + warm.acked.get() + " of " + warm.sent
          + " messages and " + tally.arrived() + " reached the gateway within 60 s; see " + edge.log());
    }
  }

  /**
   * Leaves publish for the set time. CPU is taken twice: while the leaves publish (cores busy, and the
   * gateway's CPU per message it stored in that time), and from the start until the last message is
   * at the gateway (the edge's CPU per message: taking, shaping, buffering and forwarding it). The
   * second window leaves out the gateway, whose log the bench reads then.
   */
  private void throughput(LeafLoad load, EdgeLeaves leaves, EdgeProcess edge) throws Exception {
    Instant from = Instant.now().minusSeconds(1);
    Instant publishing = Instant.now();
    CpuWindow whilePublishing = CpuWindow.start(edge.pid(), gateway.pid());
    CpuWindow untilArrived = CpuWindow.start(edge.pid());
    Telemetry.Phase rate = load.forDuration("rate", Duration.ofSeconds(s.edgeSeconds()));
    whilePublishing.stop();
    Instant published = Instant.now();
    long acked = rate.acked.get();
    ArrivalTally arrivals = new ArrivalTally("rate", leaves);
    boolean all = arrivals.await(logSince(from), acked, Duration.ofSeconds(60 + acked / 1_000));
    untilArrived.stop();

    FieldGateway.leafRows(report, t, rate);
    report.add(KEY, t, "at the gateway: messages per second (first → last arrival)", arrivals.perSecond(), "msg/s");
    report.add(KEY, t, "at the gateway: messages arrived", arrivals.arrived(), "of " + acked + " PUBACKed by the edge");
    report.add(KEY, t, "edge CPU", whilePublishing.processCores(0), "cores busy");
    report.add(KEY, t, "gateway CPU", whilePublishing.processCores(1), "cores busy");
    report.add(KEY, t, "generator CPU", whilePublishing.generatorCores(), "cores busy");
    report.add(KEY, t, "other processes' CPU", whilePublishing.otherCores(), "cores busy");
    if (acked > 0) {
      report.add(KEY, t, "edge CPU per message (start → last arrival)", untilArrived.processSeconds(0) * 1e6 / acked,
          "µs");
    }
    long storedWhilePublishing = arrivals.arrivedWithin(publishing, published);
    if (storedWhilePublishing > 0) {
      report.add(KEY, t, "gateway CPU per message stored", whilePublishing.processSeconds(1) * 1e6
          / storedWhilePublishing, "µs");
    }
    Scenario.noiseNote(report, KEY, gateway, "", whilePublishing);
    rate.notes(report, KEY, t + " throughput");
    if (!all || !arrivals.problems().isEmpty()) {
      report.note(KEY, t + " throughput: " + (all ? "" : (acked - arrivals.arrived()) + " PUBACKed messages had not "
          + "reached the gateway in time; ") + arrivals.problems());
    }
    if (arrivals.perSecond() < 0.9 * rate.perSecond()) {
      report.note(KEY, t + ": the edge forwarded more slowly than its leaves published; its uplink carries at most "
          + EdgeProcess.UPLINK_WINDOW + " unacknowledged messages (edge.yaml uplink.window), so with a backlog it "
          + "moves " + EdgeProcess.UPLINK_WINDOW + " per round trip to the gateway, whose PUBACK waits for a durable "
          + "SQLite commit");
    }
  }

  private void drain(LeafLoad load, EdgeLeaves leaves) throws Exception {
    gateway.stop();
    Telemetry.Phase buffered = load.messages("drain", s.edgeBufferMessages(),
        Duration.ofSeconds(120 + s.edgeBufferMessages() / 500));
    long acked = buffered.acked.get();
    report.add(KEY, t, "buffering (gateway down): messages per second", buffered.perSecond(), "msg/s");
    report.add(KEY, t, "buffering: time for all", (buffered.lastAck.get() - buffered.start) / 1e9,
        "s for " + acked + " PUBACKs");
    report.add(KEY, t, "buffering: PUBACK latency p99", buffered.latency.percentileMs(99), "ms");
    buffered.notes(report, KEY, t + " buffering");
    if (acked == 0) {
      throw new IllegalStateException("the edge acknowledged none of the messages sent while the gateway was down");
    }

    Instant restartedAt = Instant.now();
    long launched = System.nanoTime();
    gateway.restart();
    double startSeconds = (System.nanoTime() - launched) / 1e9;
    ArrivalTally drained = new ArrivalTally("drain", leaves);
    boolean all = drained.await(logSince(restartedAt.minusSeconds(1)), acked, Duration.ofSeconds(120 + acked / 500));

    report.add(KEY, t, "drain: messages arrived", drained.arrived(), "of " + acked + " buffered");
    report.add(KEY, t, "drain: duplicates (same leaf and sequence number)", drained.duplicates(), "messages");
    report.add(KEY, t, "drain: gateway start (launch → API and MQTT answer)", startSeconds, "s");
    report.add(KEY, t, "drain: first message after the restart", drained.secondsToFirst(restartedAt), "s");
    report.add(KEY, t, "drain: time (restart → last message in the log)", drained.secondsToLast(restartedAt), "s");
    report.add(KEY, t, "drain: messages per second (first → last arrival)", drained.perSecond(), "msg/s");
    if (!all || !drained.problems().isEmpty()) {
      report.note(KEY, t + " drain: " + (all ? "" : (acked - drained.arrived()) + " buffered messages had not "
          + "reached the gateway in time; ") + drained.problems());
    }
  }

  /**
   * The gateway's log from the first message enqueued at or after {@code time} on. Read through the
   * target at every call: a restarted gateway answers on a new HTTPS port.
   */
  private ArrivalTally.LogReader logSince(Instant time) {
    return cursor -> cursor == null ? gateway.telemetrySince(time) : gateway.telemetryFrom(cursor);
  }
}
