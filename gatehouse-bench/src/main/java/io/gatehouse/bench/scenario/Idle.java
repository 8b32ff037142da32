package io.gatehouse.bench.scenario;

import io.gatehouse.bench.Report;
import io.gatehouse.bench.Settings;
import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.DeviceLogin;
import io.gatehouse.bench.target.ProcStats;
import io.gatehouse.bench.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * N devices connect and stay idle; the server's memory is read before and after. The figure that
 * works for any server is the RSS delta (/proc/PID/status VmRSS) per connection. For a JVM server the
 * bench also reads live heap and direct memory (NMT) through jcmd. At both points a JVM server is
 * given a full GC first (the target's {@code memoryDetails}), so garbage left by the handshakes is
 * not counted as connection memory; Mosquitto has no such step.
 */
public final class Idle implements Scenario {
  public static final double GOAL_KB = 16;

  @Override
  public String key() {
    return "idle";
  }

  @Override
  public String title(Settings s) {
    return String.format("idle: %,d connected devices (TLS 1.3, MQTT %s, keep-alive %d s), held %d s; memory per "
        + "connection of the server process", s.idleDevices(), s.mqttVersion().label(), s.keepAliveSeconds(),
        s.idleHoldSeconds());
  }

  @Override
  public Target.StartOptions startOptions() {
    return new Target.StartOptions(true);
  }

  @Override
  public void run(Target target, ClientFactory clients, Settings s, Report report) throws Exception {
    String t = target.name();
    long pid = target.pid();
    List<DeviceLogin> logins = new ArrayList<>();
    for (int i = 0; i < s.idleDevices(); i++) {
      logins.add(target.device(i));
    }
    Thread.sleep(500);
    Map<String, Long> before = target.memoryDetails();
    Thread.sleep(500);
    long rss0 = ProcStats.rssBytes(pid);
    long threads0 = ProcStats.threads(pid);

    Fleet.Result fleet = Fleet.connect(clients, logins, new byte[0], s.inFlight(),
        Duration.ofSeconds(60 + logins.size() / 50));
    int n = fleet.connected().size();
    try {
      Thread.sleep(s.idleHoldSeconds() * 1_000L);
      Map<String, Long> after = target.memoryDetails();
      Thread.sleep(500);
      long rss1 = ProcStats.rssBytes(pid);
      long threads1 = ProcStats.threads(pid);
      double perConnKb = n == 0 ? Double.NaN : (rss1 - rss0) / 1024.0 / n;
      report.add(key(), t, "connected", n, "of " + logins.size());
      report.add(key(), t, "RSS before", rss0 / 1048576.0, "MiB");
      report.add(key(), t, "RSS with connections", rss1 / 1048576.0, "MiB");
      report.add(key(), t, "RSS delta per connection", perConnKb, "KiB",
          Scenario.goal(target, "≤ 16 KB", perConnKb <= GOAL_KB));
      for (Map.Entry<String, Long> e : after.entrySet()) {
        Long b = before.get(e.getKey());
        if (b != null && n > 0) {
          report.add(key(), t, e.getKey() + " delta per connection", (e.getValue() - b) / 1024.0 / n, "KiB");
        }
      }
      report.add(key(), t, "server threads", threads1, "(" + threads0 + " before)");
      if (fleet.failed() > 0 || fleet.timedOut()) {
        report.note(key(), t + ": " + fleet.failed() + " devices did not connect: " + fleet.failureSummary());
      }
      if (!after.isEmpty()) {
        report.note(key(), t + ": RSS and heap read after a full GC (jcmd GC.run) at both points; direct memory from "
            + "Native Memory Tracking (server started with -XX:NativeMemoryTracking=summary for this scenario)");
      }
    } finally {
      Fleet.disconnect(fleet.connected(), 200);
    }
  }
}
