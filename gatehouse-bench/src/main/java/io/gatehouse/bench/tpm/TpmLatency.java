package io.gatehouse.bench.tpm;

import io.gatehouse.bench.scenario.Latencies;
import io.gatehouse.bench.target.ProcStats;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.device.tpm.TpmIdentity;
import io.gatehouse.server.provisioning.tpm.AuthenticationKeyBlobBuilder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long the device SDK's TPM operations take against swtpm: each operation timed one at a
 * time, end to end (marshalling, loopback TCP, swtpm), after a warm-up, with swtpm's own CPU per
 * operation beside it so the simulator's share is visible.
 */
@Command(name = "tpm-latency", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Latency of TpmIdentity's operations against swtpm (started here on a free loopback port, "
        + "fresh state), one at a time.")
public final class TpmLatency implements Callable<Integer> {
  @Option(names = "--hmacs", defaultValue = "2000", description = "HMACs (SAS string-to-sign) timed (default ${DEFAULT-VALUE}).")
  int hmacs;

  @Option(names = "--imports", defaultValue = "100", description = "activateAndImport calls timed (default ${DEFAULT-VALUE}).")
  int imports;

  @Option(names = "--signs", defaultValue = "500", description = "ECDSA P-256 signatures timed (default ${DEFAULT-VALUE}).")
  int signs;

  @Option(names = "--opens", defaultValue = "50", description = "Opens of a TPM whose keys exist, timed (default ${DEFAULT-VALUE}).")
  int opens;

  @Option(names = "--registrations", defaultValue = "20", description = "Whole DPS TPM registrations (ProvisioningClient "
      + "against a gateway in this JVM) timed; 0 skips them (default ${DEFAULT-VALUE}).")
  int registrations;

  @Option(names = "--warmup", defaultValue = "200", description = "Untimed HMACs (and a tenth as many of the rest) first (default ${DEFAULT-VALUE}).")
  int warmup;

  private final PrintStream out;
  private final SecureRandom random = new SecureRandom();

  public TpmLatency() {
    this(System.out);
  }

  TpmLatency(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TpmLatency()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("gatehouse-tpm-latency-");
    try (SwtpmProcess swtpm = SwtpmProcess.start(dir.resolve("state"))) {
      List<Row> rows = new ArrayList<>();
      long start = System.nanoTime();
      double cpu = ProcStats.cpuSeconds(swtpm.pid());
      TpmIdentity first = TpmIdentity.open(swtpm.address());
      rows.add(new Row("open, first start (creates EK, SRK, P-256 key; first use of TSS.Java in this JVM)", 1, single(System.nanoTime() - start),
          ProcStats.cpuSeconds(swtpm.pid()) - cpu));
      first.close();

      try (TpmIdentity identity = TpmIdentity.open(swtpm.address())) {
        AuthenticationKeyBlobBuilder builder = new AuthenticationKeyBlobBuilder(random);
        byte[] key = randomKey();
        identity.activateAndImport(builder.build(identity.endorsementKey(), identity.storageRootKey(), key, new byte[0]).bytes());
        byte[] toSign = SasSigner.stringToSign("gatehouse.test%2Fdevices%2Ftpm-device-1",
            Long.toString(Instant.now().plusSeconds(3600).getEpochSecond()));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("nonce".getBytes(StandardCharsets.UTF_8));

        repeat(warmup, () -> identity.hmac(toSign));
        repeat(Math.max(1, warmup / 10), () -> identity.sign(digest));
        List<byte[]> warmBlobs = blobs(builder, identity, Math.max(1, warmup / 10));
        warmBlobs.forEach(identity::activateAndImport);

        rows.add(time("HMAC-SHA256 of a SAS string-to-sign (" + toSign.length + " B)", hmacs, swtpm,
            () -> identity.hmac(toSign)));
        rows.add(time("ECDSA P-256 sign of a SHA-256 digest", signs, swtpm, () -> identity.sign(digest)));

        long buildStart = System.nanoTime();
        List<byte[]> blobs = blobs(builder, identity, imports);
        double buildMs = (System.nanoTime() - buildStart) / 1e6 / imports;
        var iterator = blobs.iterator();
        rows.add(time("activateAndImport (policy session, ActivateCredential, Import, Load, EvictControl x2)",
            imports, swtpm, () -> identity.activateAndImport(iterator.next())));
        out.printf("server side: building one authentication key blob (software, two RSA-OAEP encryptions): %.2f ms%n",
            buildMs);
      }
      if (registrations > 0) {
        try (SwtpmProcess registering = SwtpmProcess.start(dir.resolve("state-registrations"));
            TpmIdentity identity = TpmIdentity.open(registering.address())) {
          double swtpmCpu = ProcStats.cpuSeconds(registering.pid());
          Latencies latencies = TpmRegistrationLatency.measure(dir.resolve("gateway"), identity,
              Math.max(1, warmup / 40), registrations);
          rows.add(new Row("DPS TPM registration over HTTPS (401 + import, register with TPM SAS, import hub key)",
              registrations, latencies, ProcStats.cpuSeconds(registering.pid()) - swtpmCpu));
        }
      }
      rows.add(time("open, keys present (connect, Startup, ReadPublic x4, GetCapability)", opens, swtpm,
          () -> TpmIdentity.open(swtpm.address()).close()));
      try (SwtpmProcess fresh = SwtpmProcess.start(dir.resolve("state-2"))) {
        rows.add(time("open, first start, warm JVM (CreatePrimary EK and SRK, Create P-256, EvictControl x3)", 1,
            fresh, () -> TpmIdentity.open(fresh.address()).close()));
      }
      print(rows);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    return 0;
  }

  private record Row(String operation, long count, Latencies latencies, double swtpmCpuSeconds) {}

  private Row time(String operation, int count, SwtpmProcess swtpm, Runnable op) {
    Latencies latencies = new Latencies();
    double cpu = ProcStats.cpuSeconds(swtpm.pid());
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      op.run();
      latencies.recordNanos(System.nanoTime() - t0);
    }
    return new Row(operation, count, latencies, ProcStats.cpuSeconds(swtpm.pid()) - cpu);
  }

  private static Latencies single(long nanos) {
    Latencies l = new Latencies();
    l.recordNanos(nanos);
    return l;
  }

  private void print(List<Row> rows) {
    out.printf("%n%-92s %6s %9s %9s %9s %9s %14s%n", "operation (one at a time, ms)", "n", "mean", "p50", "p99", "max",
        "swtpm CPU/op");
    for (Row r : rows) {
      // /proc counts CPU in clock ticks (10 ms): below one tick in all, say so rather than print 0.
      String cpu = r.swtpmCpuSeconds() > 0 ? String.format("%11.3f ms", r.swtpmCpuSeconds() * 1000 / r.count())
          : String.format("%11s ms", "< " + String.format("%.3f", 10.0 / r.count()));
      out.printf("%-92s %6d %9.3f %9.3f %9.3f %9.3f %s%n", r.operation(), r.count(), r.latencies().meanMs(),
          r.latencies().percentileMs(50), r.latencies().percentileMs(99), r.latencies().maxMs(), cpu);
    }
    out.printf("machine: %d cores, load average %.2f%n", Runtime.getRuntime().availableProcessors(),
        ProcStats.loadAverage());
  }

  private List<byte[]> blobs(AuthenticationKeyBlobBuilder builder, TpmIdentity identity, int count) {
    List<byte[]> blobs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      blobs.add(builder.build(identity.endorsementKey(), identity.storageRootKey(), randomKey(), new byte[0]).bytes());
    }
    return blobs;
  }

  private byte[] randomKey() {
    byte[] key = new byte[32];
    random.nextBytes(key);
    return key;
  }

  private static void repeat(int times, Runnable op) {
    for (int i = 0; i < times; i++) {
      op.run();
    }
  }
}
