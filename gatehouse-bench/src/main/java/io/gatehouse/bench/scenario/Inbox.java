package io.gatehouse.bench.scenario;

import io.gatehouse.bench.Report;
import io.gatehouse.bench.Settings;
import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.DeviceClient;
import io.gatehouse.bench.client.DeviceLogin;
import io.gatehouse.bench.target.InboxSender;
import io.gatehouse.bench.target.Target;
import io.gatehouse.bench.target.ThreadCpu;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A service sends messages to connected devices at a fixed rate, round robin; latency runs from the
 * scheduled send time to the device's receipt. Gatehouse: HTTPS POST to the device's inbox, delivered
 * over MQTT. Mosquitto has no inbox: the reference is a service MQTT client publishing QoS 1 to the
 * device's topic, delivered to the device's subscription, and is labelled as such.
 *
 * <p>A warm-up run at the same rate (three times the measured messages, at most 15,000: 30 s at 500/s;
 * not reported) comes first, so a JVM server is measured compiled, as it runs in production. It has to
 * be that long: a method called once per message reaches the optimising compiler's thresholds only
 * after some 10,000 calls, so at 500/s the compiler still works through the first half minute (with
 * a 2 s warm-up it was half of the server's CPU in the measured 10 s; the scenario prints the JIT's
 * share of the measured window, so a reader sees whether the warm-up sufficed).
 */
public final class Inbox implements Scenario {
  public static final double GOAL_P99_MS = 20;
  private static final int MAX_WARM_UP = 15_000;

  @Override
  public String key() {
    return "inbox";
  }

  @Override
  public String title(Settings s) {
    return String.format("inbox: %,d messages at %,d/s to %,d connected devices (QoS 1 subscription, MQTT %s); "
        + "latency from scheduled send to device receipt", s.inboxMessages(), s.inboxRate(), s.inboxDevices(),
        s.mqttVersion().label());
  }

  @Override
  public void run(Target target, ClientFactory clients, Settings s, Report report) throws Exception {
    String t = target.name();
    List<DeviceLogin> logins = new ArrayList<>();
    for (int i = 0; i < s.inboxDevices(); i++) {
      logins.add(target.device(i));
    }
    // Tagged with this run, so messages left in an inbox by an earlier run are not taken for ours.
    String runId = Long.toHexString(new SecureRandom().nextLong());
    Run warm = new Run("warm-" + runId + "=", (int) Math.min(MAX_WARM_UP, 3L * s.inboxMessages()));
    Run measured = new Run("seq-" + runId + "=", s.inboxMessages());

    Fleet.Result fleet = Fleet.connect(clients, logins, new byte[0], s.inFlight(),
        Duration.ofSeconds(60 + logins.size() / 50));
    List<DeviceClient> devices = fleet.connected();
    if (fleet.failed() > 0 || fleet.timedOut()) {
      report.note(key(), t + ": " + fleet.failed() + " devices did not connect: " + fleet.failureSummary());
    }
    if (devices.isEmpty()) {
      report.text(key(), t, "delivery latency", "no device connected");
      return;
    }
    InboxSender sender = null;
    try {
      List<CompletableFuture<Void>> subscriptions = new ArrayList<>();
      for (DeviceClient device : devices) {
        subscriptions.add(device.subscribe(device.login().inboxFilter(), payload -> {
          long now = System.nanoTime();
          String text = new String(payload, StandardCharsets.UTF_8);
          if (!measured.received(text, now)) {
            warm.received(text, now);
          }
        }));
      }
      CompletableFuture.allOf(subscriptions.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      sender = target.inboxSender(clients);
      report.note(key(), t + ": measures " + sender.label());

      warm.send(sender, devices, s.inboxRate());
      warm.awaitDeliveries(Duration.ofSeconds(30));

      Map<String, Double> threadsBefore = ThreadCpu.byRole(target.pid());
      CpuWindow cpu = CpuWindow.start(target.pid());
      measured.send(sender, devices, s.inboxRate());
      measured.awaitDeliveries(Duration.ofSeconds(30));
      cpu.stop();
      Map<String, Double> threads = ThreadCpu.since(threadsBefore, ThreadCpu.byRole(target.pid()));

      long delivered = measured.delivered.get();
      double p99 = measured.delivery.percentileMs(99);
      report.add(key(), t, "delivered", delivered, "of " + measured.sent + " sent");
      report.add(key(), t, "delivery latency p50", measured.delivery.percentileMs(50), "ms");
      report.add(key(), t, "delivery latency p99", p99, "ms",
          Scenario.goal(target, "≤ 20 ms", p99 <= GOAL_P99_MS && delivered == measured.sent));
      report.add(key(), t, "delivery latency max", measured.delivery.maxMs(), "ms");
      report.add(key(), t, "send accepted latency p99 (201 / PUBACK)", measured.accepted.percentileMs(99), "ms");
      Scenario.cpuRows(report, key(), target, "", cpu);
      if (delivered > 0) {
        report.add(key(), t, "server CPU per message", cpu.serverSeconds() * 1e3 / delivered, "ms");
        if (t.equals("gatehouse")) {
          perThread(report, t, threads, delivered);
        }
      }
      measured.notes(report, key(), t);
    } finally {
      if (sender != null) {
        sender.close();
      }
      Fleet.disconnect(devices, 200);
    }
  }

  /**
   * Where a message's server CPU goes, by thread role; and the total without the JIT compiler, which
   * in a short run is a large share that fades as the server warms up.
   */
  private void perThread(Report report, String t, Map<String, Double> threads, long delivered) {
    double withoutJit = 0;
    for (Map.Entry<String, Double> role : threads.entrySet()) {
      report.add(key(), t, "  of which " + role.getKey(), role.getValue() * 1e6 / delivered, "µs per message");
      if (!role.getKey().equals("JIT compiler")) {
        withoutJit += role.getValue();
      }
    }
    report.add(key(), t, "server CPU per message without the JIT", withoutJit * 1e6 / delivered, "µs");
  }

  /** One paced series of messages and what became of them. */
  private static final class Run {
    private static final String PADDING = "x".repeat(40);

    final String tag;
    final int total;
    final AtomicLongArray intended;
    final AtomicLongArray receivedAt;
    final Latencies delivery = new Latencies();
    final Latencies accepted = new Latencies();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong outstanding = new AtomicLong();
    final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    int sent;
    boolean aborted;

    Run(String tag, int total) {
      this.tag = tag;
      this.total = total;
      this.intended = new AtomicLongArray(total);
      this.receivedAt = new AtomicLongArray(total);
    }

    /** Records a receipt if the message is one of this run's; says whether it was. */
    boolean received(String text, long now) {
      if (!text.startsWith(tag)) {
        return false;
      }
      int end = text.indexOf(';');
      int seq;
      try {
        seq = Integer.parseInt(text, tag.length(), end < 0 ? text.length() : end, 10);
      } catch (NumberFormatException e) {
        return true;
      }
      if (seq < 0 || seq >= total) {
        return true;
      }
      if (receivedAt.compareAndSet(seq, 0, now)) {
        delivery.recordNanos(now - intended.get(seq));
        delivered.incrementAndGet();
      } else {
        duplicates.incrementAndGet();
      }
      return true;
    }

    /** Sends {@code total} messages at {@code rate} per second, round robin over the devices. */
    void send(InboxSender sender, List<DeviceClient> devices, int rate) {
      double interval = 1e9 / rate;
      long start = System.nanoTime() + 1_000_000;
      long sendDeadline = start + (long) (total * interval) + TimeUnit.SECONDS.toNanos(10);
      long cap = Math.max(1_000, 2L * rate);
      int n = devices.size();
      int i = 0;
      while (i < total) {
        long now = System.nanoTime();
        while (i < total && start + (long) (i * interval) <= now) {
          long due = start + (long) (i * interval);
          intended.set(i, due);
          outstanding.incrementAndGet();
          sender.send(devices.get(i % n).login(), tag + i + ";" + PADDING)
              .orTimeout(30, TimeUnit.SECONDS).whenComplete((ok, error) -> {
                outstanding.decrementAndGet();
                if (error == null) {
                  accepted.recordNanos(System.nanoTime() - due);
                } else {
                  refused.incrementAndGet();
                  refusals.merge(Fleet.reason(error), 1, Integer::sum);
                }
              });
          i++;
        }
        if (now > sendDeadline || outstanding.get() > cap) {
          aborted = true;
          break;
        }
        long sleep = start + (long) (i * interval) - System.nanoTime();
        if (sleep > 0) {
          LockSupport.parkNanos(sleep);
        }
      }
      sent = i;
    }

    /** Waits until every accepted message arrived, or {@code limit}. */
    void awaitDeliveries(Duration limit) throws InterruptedException {
      long waitUntil = System.nanoTime() + limit.toNanos();
      while ((outstanding.get() > 0 || delivered.get() < sent - refused.get()) && System.nanoTime() < waitUntil) {
        Thread.sleep(5);
      }
    }

    void notes(Report report, String scenario, String target) {
      if (refused.get() > 0 || duplicates.get() > 0 || aborted || delivered.get() < sent) {
        StringBuilder text = new StringBuilder(target + ": " + refused.get() + " sends refused, " + duplicates.get()
            + " duplicate deliveries, " + Math.max(0, sent - refused.get() - delivered.get())
            + " not delivered in time" + (aborted ? ", sending stopped early (server or generator fell behind)" : ""));
        refusals.forEach((k, v) -> text.append("; ").append(v).append("× ").append(k));
        report.note(scenario, text.toString());
      }
    }
  }
}
