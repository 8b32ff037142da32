package io.gatehouse.bench.scenario;

import io.gatehouse.bench.Report;
import io.gatehouse.bench.Settings;
import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.DeviceLogin;
import io.gatehouse.bench.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * N devices connect as fast as the server takes them (at most {@code inFlight} attempts at once):
 * TCP, a full TLS 1.3 handshake, CONNECT with password (SAS token / Mosquitto password) → CONNACK.
 * Figure: accepted connections per second from the first attempt to the last CONNACK.
 */
public final class ConnectStorm implements Scenario {
  public static final double GOAL_PER_SECOND = 500;

  @Override
  public String key() {
    return "connect";
  }

  @Override
  public String title(Settings s) {
    return String.format("connect storm: %,d devices, TLS 1.3 full handshakes (no resumption), password/SAS auth, "
        + "MQTT %s, %d attempts in flight", s.connectDevices(), s.mqttVersion().label(), s.inFlight());
  }

  @Override
  public void run(Target target, ClientFactory clients, Settings s, Report report) throws Exception {
    int n = s.connectDevices();
    List<DeviceLogin> logins = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      logins.add(target.device(i)); // tokens signed before the clock starts
    }
    // Warm-up (JIT in the generator, and in a JVM server): a tenth of the devices, at most 500,
    // connect and disconnect before the clock starts; their clients are not reused.
    int warm = Math.min(500, Math.max(1, n / 10));
    Fleet.Result warmUp = Fleet.connect(clients, logins.subList(0, warm), new byte[0], s.inFlight(),
        Duration.ofSeconds(60 + warm / 20));
    Fleet.disconnect(warmUp.connected(), 200);
    Thread.sleep(500);
    clients.trust().reset();
    CpuWindow cpu = CpuWindow.start(target.pid());
    Fleet.Result r = Fleet.connect(clients, logins, new byte[0], s.inFlight(), Duration.ofSeconds(60 + n / 50));
    cpu.stop();
    long full = clients.trust().fullHandshakes();
    String t = target.name();
    report.add(key(), t, "connections per second", r.perSecond(), "conn/s",
        Scenario.goal(target, "≥ 500", r.perSecond() >= GOAL_PER_SECOND));
    report.add(key(), t, "connect latency p50 (TCP+TLS+CONNACK)", r.latency().percentileMs(50), "ms");
    report.add(key(), t, "connect latency p99", r.latency().percentileMs(99), "ms");
    report.add(key(), t, "connected", r.connected().size(), "of " + n);
    report.add(key(), t, "full TLS handshakes counted", full, "of " + r.attempted() + " attempts");
    Scenario.cpuRows(report, key(), target, "", cpu);
    if (!r.connected().isEmpty()) {
      // CPU time per connection does not depend on what else the machine runs: capacity ≈ cores / this.
      report.add(key(), t, "server CPU per connection", cpu.serverSeconds() * 1000 / r.connected().size(),
          "ms");
      report.add(key(), t, "generator CPU per connection",
          cpu.generatorSeconds() * 1000 / r.connected().size(), "ms");
    }
    if (r.failed() > 0 || r.timedOut()) {
      report.note(key(), t + ": " + r.failed() + " connects failed" + (r.timedOut() ? " (time limit reached)" : "")
          + ": " + r.failureSummary());
    }
    for (Map.Entry<String, Long> e : clients.trust().negotiated().entrySet()) {
      report.note(key(), t + ": negotiated " + e.getKey() + " in " + e.getValue() + " handshakes");
    }
    report.note(key(), "full handshakes are counted on the client: the server's certificate chain is checked "
        + "only in a full handshake (a resumed TLS 1.3 handshake has no Certificate message); every device is a "
        + "new client with its own SSL context, so it has no session to resume");
    Fleet.disconnect(r.connected(), 200);
  }
}
