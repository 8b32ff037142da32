package io.gatehouse.bench.scenario;

import io.gatehouse.bench.Report;
import io.gatehouse.bench.Settings;
import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.target.GatehouseTarget;
import io.gatehouse.bench.target.Target;
import io.gatehouse.core.provisioning.GroupKeys;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.x509.TrustAnchors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DPS registrations per second through a symmetric-key enrollment group: N new registration ids,
 * each with its own derived key and a register token signed before the clock starts, PUT to
 * {@code /{idScope}/registrations/{id}/register} with {@code inFlight} calls at once over kept-alive
 * HTTPS connections. Every answer must be 200 with status assigned and the device id; each one is
 * a new device in the registry, a registration record, a used-token row and an audit line, all
 * committed before the answer. The TLS handshake each real device adds is the connect storm's figure.
 * Mosquitto has no provisioning service: Gatehouse only.
 */
public final class Provisioning implements Scenario {
  private static final String KEY = "provisioning";

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public String title(Settings s) {
    return String.format("provisioning: %,d DPS registrations through a symmetric-key enrollment group (derived keys), "
        + "HTTPS, %d calls in flight on kept-alive connections", s.registrations(), s.inFlight());
  }

  @Override
  public void run(Target target, ClientFactory clients, Settings s, Report report) throws Exception {
    if (!(target instanceof GatehouseTarget gatehouse)) {
      report.text(KEY, target.name(), "registrations per second", "no provisioning service");
      return;
    }
    String run = Long.toHexString(new SecureRandom().nextLong() >>> 1);
    GatehouseTarget.ProvisioningEndpoint endpoint = gatehouse.provisioning("bench-" + run);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(TrustAnchors.sslContext(endpoint.caPem())).connectTimeout(Duration.ofSeconds(10)).build();
    try {
      int warm = Math.min(500, Math.max(1, s.registrations() / 10));
      execute(http, endpoint, requests(endpoint, "warm-" + run, warm), s.inFlight()); // JIT, connections
      List<HttpRequest> measured = requests(endpoint, "dev-" + run, s.registrations());
      CpuWindow cpu = CpuWindow.start(target.pid());
      Outcome outcome = execute(http, endpoint, measured, s.inFlight());
      cpu.stop();
      String t = target.name();
      report.add(KEY, t, "registrations per second", outcome.perSecond(), "reg/s");
      report.add(KEY, t, "register latency p50", outcome.latency().percentileMs(50), "ms");
      report.add(KEY, t, "register latency p99", outcome.latency().percentileMs(99), "ms");
      report.add(KEY, t, "assigned", outcome.assigned(), "of " + s.registrations());
      Scenario.cpuRows(report, KEY, target, "", cpu);
      if (outcome.assigned() > 0) {
        report.add(KEY, t, "server CPU per registration", cpu.serverSeconds() * 1000 / outcome.assigned(), "ms");
      }
      if (!outcome.failures().isEmpty()) {
        report.note(KEY, t + ": failed registrations: " + outcome.failures());
      }
      report.note(KEY, "each registration creates a device, a registration record and a used-token row, and "
          + "writes an audit line, all durable (fsync'd group commit) before the 200; the group's key derivation "
          + "and the SAS check are in the server's CPU figure, the TLS handshake of a new device is not (see connect)");
    } finally {
      http.close();
    }
  }

  private record Outcome(int assigned, long elapsedNanos, Latencies latency, Map<String, Integer> failures) {
    double perSecond() {
      return elapsedNanos == 0 ? 0 : assigned / (elapsedNanos / 1e9);
    }
  }

  /** One signed register call per registration id, built before any is sent. */
  private static List<HttpRequest> requests(GatehouseTarget.ProvisioningEndpoint endpoint, String prefix, int n) {
    List<HttpRequest> requests = new ArrayList<>(n);
    Instant expiry = Instant.now().plus(Duration.ofHours(1));
    for (int i = 0; i < n; i++) {
      String id = prefix + "-" + i;
      String token = SasSigner.token(endpoint.idScope() + "/registrations/" + id,
          GroupKeys.deriveBytes(endpoint.groupKey(), id), expiry, "registration");
      requests.add(HttpRequest.newBuilder(endpoint.base().resolve(URI.create("/" + endpoint.idScope()
              + "/registrations/" + id + "/register?api-version=2021-06-01")))
          .timeout(Duration.ofSeconds(60)).header("Authorization", token)
          .header("Content-Type", "application/json; charset=utf-8")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"registrationId\":\"" + id + "\"}")).build());
    }
    return requests;
  }

  private static Outcome execute(HttpClient http, GatehouseTarget.ProvisioningEndpoint endpoint,
      List<HttpRequest> requests, int inFlight) throws InterruptedException {
    Semaphore permits = new Semaphore(inFlight);
    AtomicInteger assigned = new AtomicInteger();
    AtomicLong lastDone = new AtomicLong();
    Latencies latency = new Latencies();
    Map<String, Integer> failures = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    for (HttpRequest request : requests) {
      permits.acquire();
      long t0 = System.nanoTime();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
        long now = System.nanoTime();
        lastDone.accumulateAndGet(now, Math::max);
        if (error == null && response.statusCode() == 200 && response.body().contains("\"status\":\"assigned\"")) {
          assigned.incrementAndGet();
          latency.recordNanos(now - t0);
        } else {
          failures.merge(error != null ? Fleet.reason(error) : "HTTP " + response.statusCode(), 1, Integer::sum);
        }
        permits.release();
      });
    }
    if (!permits.tryAcquire(inFlight, 120, TimeUnit.SECONDS)) {
      failures.merge("did not finish within 120 s", 1, Integer::sum);
    }
    return new Outcome(assigned.get(), Math.max(0, lastDone.get() - start), latency, failures);
  }

}
