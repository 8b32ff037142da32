package io.gatehouse.bench.tpm;

import io.gatehouse.bench.scenario.Latencies;
import io.gatehouse.bench.target.ProcStats;
import io.gatehouse.core.x509.TrustAnchors;
import io.gatehouse.device.client.Backoff;
import io.gatehouse.device.client.DeviceClient;
import io.gatehouse.device.client.DeviceIdentity;
import io.gatehouse.device.provisioning.ProvisioningClient;
import io.gatehouse.device.provisioning.ProvisioningResult;
import io.gatehouse.device.tpm.TpmIdentity;
import io.gatehouse.server.bootstrap.Gateway;
import io.gatehouse.server.bootstrap.GatewayConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The device SDK's {@link DeviceClient} on each transport, as one TPM-provisioned device uses it
 * against a gateway in this JVM (loopback TLS, SQLite with fsync'd group commit) and swtpm: send
 * latency one message at a time, throughput with every send issued at once, and, for MQTT, how long
 * held sends wait when the gateway drops the session (the operator disables the device and enables
 * it again at once) under the default reconnection backoff.
 */
@Command(name = "device-transports", mixinStandardHelpOptions = true, sortOptions = false,
    description = "DeviceClient over MQTT and HTTPS: send latency, pipelined throughput, MQTT recovery after a drop.")
public final class DeviceTransports implements Callable<Integer> {
  @Option(names = "--sequential", defaultValue = "500", description = "Sends timed one at a time (default ${DEFAULT-VALUE}).")
  int sequential;

  @Option(names = "--pipelined", defaultValue = "5000", description = "Sends issued at once, timed to the last acknowledgement (default ${DEFAULT-VALUE}).")
  int pipelined;

  @Option(names = "--drops", defaultValue = "5", description = "MQTT session drops timed; 0 skips them (default ${DEFAULT-VALUE}).")
  int drops;

  private final PrintStream out;

  public DeviceTransports() {
    this(System.out);
  }

  DeviceTransports(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DeviceTransports()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("gatehouse-device-transports-");
    try (SwtpmProcess swtpm = SwtpmProcess.start(dir.resolve("state"));
        TpmIdentity tpm = TpmIdentity.open(swtpm.address());
        Gateway gateway = Gateway.start(new GatewayConfig(dir.resolve("gateway"), "gatehouse.bench", "127.0.0.1", 0, 0,
            null, null, GatewayConfig.DEFAULT_MAX_BODY), Clock.systemUTC())) {
      Path data = dir.resolve("gateway");
      URI endpoint = URI.create("https://localhost:" + gateway.httpsPort());
      SSLContext tls = TrustAnchors.sslContext(data.resolve("ca.pem"));
      HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
      TpmRegistrationLatency.operator(http, data, endpoint, "PUT", "/enrollments/" + tpm.registrationId(),
          "{\"deviceId\":\"bench-sdk\",\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\""
              + Base64.getEncoder().encodeToString(tpm.endorsementKey()) + "\"}}");
      String scope = TpmRegistrationLatency.operator(http, data, endpoint, "GET", "/provisioning", null)
          .replaceAll("(?s).*\"idScope\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      ProvisioningResult assigned = new ProvisioningClient(endpoint, tls, Duration.ofSeconds(30), Clock.systemUTC())
          .registerWithTpm(scope, tpm.registrationId(), tpm);
      DeviceIdentity device = new DeviceIdentity(assigned.assignedHub(), assigned.deviceId(), tpm);
      TrustManagerFactory trust = TrustAnchors.trustManagers(data.resolve("ca.pem"));

      out.printf("%-8s %9s %9s %9s %9s %14s%n", "", "seq p50", "seq p99", "seq max", "n", "pipelined");
      for (DeviceClient.Options options : List.of(DeviceClient.Options.of("localhost", gateway.mqttPort(), trust),
          DeviceClient.Options.https("localhost", gateway.httpsPort(), trust))) {
        try (DeviceClient client = DeviceClient.connect(device, options, null)) {
          for (int i = 0; i < Math.min(500, sequential); i++) { // warm-up: JIT, connections
            client.send("warm " + i).get(30, TimeUnit.SECONDS);
          }
          Latencies latencies = new Latencies();
          for (int i = 0; i < sequential; i++) {
            long t0 = System.nanoTime();
            client.send(new byte[256], Map.of("i", Integer.toString(i))).get(30, TimeUnit.SECONDS);
            latencies.recordNanos(System.nanoTime() - t0);
          }
          long t0 = System.nanoTime();
          List<CompletableFuture<Void>> all = new ArrayList<>(pipelined);
          for (int i = 0; i < pipelined; i++) {
            all.add(client.send(new byte[256], Map.of("i", Integer.toString(i))));
          }
          CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
          double seconds = (System.nanoTime() - t0) / 1e9;
          out.printf("%-8s %6.2f ms %6.2f ms %6.2f ms %9d %,8.0f msg/s%n", options.transport(),
              latencies.percentileMs(50), latencies.percentileMs(99), latencies.maxMs(), sequential,
              pipelined / seconds);
        }
      }
      if (drops > 0) {
        recovery(http, data, endpoint, device, DeviceClient.Options.of("localhost", gateway.mqttPort(), trust));
      }
      out.printf("machine: %d cores, load average %.2f; 256-byte payloads; HTTPS: at most 4 requests at once%n",
          Runtime.getRuntime().availableProcessors(), ProcStats.loadAverage());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    return 0;
  }

  /** Disable then enable at once: the held send waits for the next attempt of the default backoff (first at 1 s). */
  private void recovery(HttpClient http, Path data, URI endpoint, DeviceIdentity device, DeviceClient.Options options)
      throws Exception {
    Latencies waits = new Latencies();
    try (DeviceClient client = DeviceClient.connect(device, options.withReconnect(DeviceClient.Options.DEFAULT_RECONNECT),
        null)) {
      for (int i = 0; i < drops; i++) {
        client.send("before drop " + i).get(30, TimeUnit.SECONDS);
        TpmRegistrationLatency.operator(http, data, endpoint, "POST", "/devices/bench-sdk/disable", null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.connected() && System.nanoTime() < deadline) {
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // the timing starts after the drop is seen
        }
        long t0 = System.nanoTime();
        CompletableFuture<Void> held = client.send("held " + i);
        TpmRegistrationLatency.operator(http, data, endpoint, "POST", "/devices/bench-sdk/enable", null);
        held.get(60, TimeUnit.SECONDS);
        waits.recordNanos(System.nanoTime() - t0);
      }
      out.printf("MQTT session dropped %d times (backoff %s): a send held at the drop was acknowledged after "
          + "p50 %.0f ms, max %.0f ms; %d reconnections%n", drops, describe(DeviceClient.Options.DEFAULT_RECONNECT),
          waits.percentileMs(50), waits.maxMs(), client.reconnects());
    }
  }

  private static String describe(Backoff backoff) {
    return backoff.min().toMillis() + " ms doubling to " + backoff.max().toSeconds() + " s";
  }


}
