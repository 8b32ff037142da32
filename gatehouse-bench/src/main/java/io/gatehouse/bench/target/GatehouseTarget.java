package io.gatehouse.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.CountingTrustManagerFactory;
import io.gatehouse.bench.client.DeviceLogin;
import io.gatehouse.bench.client.MqttVersion;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gatehouse through its own launcher ({@code ./gatehouse serve}), one data directory for the whole
 * run: devices are created through the service API on the first start and reused afterwards.
 */
public final class GatehouseTarget implements Target {
  public static final String HOST = "localhost";
  private static final String API_VERSION = "2021-04-12";
  private static final int PROVISION_IN_FLIGHT = 32;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Pattern NMT_OTHER = Pattern.compile("Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
  private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

  private final Path home;
  private final Path dir;
  private final Path data;
  private final String javaOptions;
  private final List<byte[]> keys = new ArrayList<>();
  private Process process;
  private GatehouseApi api;
  private int mqttPort;
  private boolean nmt;

  /**
   * @param home the Gatehouse checkout or distribution holding the {@code gatehouse} launcher
   * @param javaOptions extra JVM options for the server (GATEHOUSE_JAVA_OPTS), may be empty
   */
  public GatehouseTarget(Path home, Path dir, String javaOptions) {
    this.home = home;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.javaOptions = javaOptions == null ? "" : javaOptions.trim();
  }

  @Override
  public String name() {
    return "gatehouse";
  }

  @Override
  public String describe() {
    return "Gatehouse (" + home.resolve("gatehouse") + "), TLS 1.3, device SAS tokens, telemetry PUBACK after "
        + "SQLite commit (synchronous=FULL)" + (javaOptions.isEmpty() ? "" : ", JVM options: " + javaOptions);
  }

  @Override
  public void start(int devices, StartOptions options) throws Exception {
    mqttPort = MosquittoTarget.freePort();
    nmt = options.nativeMemoryTracking();
    launch();
    try {
      provision(devices);
    } catch (Exception e) {
      stop();
      throw e;
    }
  }

  /**
   * Starts the gateway again after {@link #stop()}: same data, same MQTT port (an edge's uplink is
   * configured with it), same options; the HTTPS port is new, as at every start.
   */
  public void restart() throws Exception {
    if (mqttPort == 0) {
      throw new IllegalStateException("restart() before start()");
    }
    launch();
  }

  /** Starts the process and returns once its service API and its MQTT listener answer. */
  private void launch() throws Exception {
    Path launcher = home.resolve("gatehouse");
    if (!Files.isRegularFile(launcher)) {
      throw new TargetUnavailableException("no Gatehouse launcher at " + launcher + " (use --gatehouse-home)");
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(data.resolve("cli.json"));
    String opts = (javaOptions + (nmt ? " -XX:NativeMemoryTracking=summary" : "")).trim();
    ProcessBuilder builder = new ProcessBuilder("sh", launcher.toString(), "serve", "--data", data.toString(),
        "--hostname", HOST, "--https-port", "0", "--mqtt-port", Integer.toString(mqttPort), "--bind", "127.0.0.1")
        .directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gatehouse.log").toFile()));
    builder.environment().put("GATEHOUSE_JAVA_OPTS", opts);
    builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    process = builder.start();
    try {
      awaitReady();
      awaitMqttListener();
    } catch (Exception e) {
      stop();
      throw e;
    }
  }

  private void awaitReady() throws Exception {
    // The first start of a fresh checkout builds the distribution: allow for it.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    Path cliJson = data.resolve("cli.json");
    while (!Files.exists(cliJson)) {
      checkAlive(deadline, "write " + cliJson);
      Thread.sleep(50);
    }
    Thread.sleep(50); // written in one go, but let the writer finish
    JsonNode cli = new ObjectMapper().readTree(cliJson.toFile());
    if (api != null) {
      api.close(); // the HTTPS port changes with every start
    }
    ConnectionString operator = ConnectionString.parse(Files.readString(data.resolve("operator.credential")).trim());
    api = new GatehouseApi(URI.create(cli.get("url").asText()), Path.of(cli.get("caFile").asText()), operator);
    while (!api.ready()) {
      checkAlive(deadline, "answer /readyz");
      Thread.sleep(50);
    }
  }

  private void awaitMqttListener() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", mqttPort), 200);
        return;
      } catch (IOException refused) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new TargetUnavailableException("Gatehouse answers HTTPS but nothing listens on its MQTT port "
              + mqttPort + " (a distribution built before the MQTT listener was wired in? rebuild it: "
              + "BENCH_REBUILD=1 scripts/bench.sh, or GATEHOUSE_REBUILD=1 ./gatehouse)");
        }
        Thread.sleep(100);
      }
    }
  }

  private void checkAlive(long deadline, String what) throws TargetUnavailableException {
    if (!process.isAlive()) {
      throw new TargetUnavailableException("gatehouse serve exited (" + process.exitValue() + ") before it could "
          + what + "; see " + dir.resolve("gatehouse.log") + ": " + MosquittoTarget.tail(dir.resolve("gatehouse.log")));
    }
    if (System.nanoTime() > deadline) {
      throw new TargetUnavailableException("gatehouse serve did not " + what + " in time; see "
          + dir.resolve("gatehouse.log"));
    }
  }

  /**
   * Creates the missing devices, {@value #PROVISION_IN_FLIGHT} requests in flight. Their keys are
   * kept in {@code devices.keys} (0600) beside the data directory, so a later run with the same
   * {@code --work-dir} skips this step.
   */
  private void provision(int devices) throws Exception {
    Path keyFile = dir.resolve("devices.keys");
    if (keys.isEmpty() && Files.exists(keyFile) && Files.exists(data.resolve("gatehouse.db"))) {
      for (String line : Files.readAllLines(keyFile)) {
        if (!line.isBlank()) {
          keys.add(java.util.Base64.getDecoder().decode(line.trim()));
        }
      }
    }
    int from = keys.size();
    if (devices <= from) {
      return;
    }
    long start = System.nanoTime();
    AtomicReferenceArray<byte[]> created = new AtomicReferenceArray<>(devices - from);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Semaphore inFlight = new Semaphore(PROVISION_IN_FLIGHT);
    for (int i = from; i < devices && failure.get() == null; i++) {
      if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("device creation stalled");
      }
      int index = i;
      api.createDevice(deviceId(i)).whenComplete((key, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        } else {
          created.set(index - from, key);
        }
        inFlight.release();
      });
    }
    if (!inFlight.tryAcquire(PROVISION_IN_FLIGHT, 120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("device creation did not finish");
    }
    inFlight.release(PROVISION_IN_FLIGHT);
    if (failure.get() != null) {
      throw new ExecutionException("creating devices failed", failure.get());
    }
    for (int i = 0; i < created.length(); i++) {
      keys.add(created.get(i));
    }
    StringBuilder lines = new StringBuilder();
    for (byte[] key : keys) {
      lines.append(java.util.Base64.getEncoder().encodeToString(key)).append('\n');
    }
    Files.deleteIfExists(keyFile);
    Files.createFile(keyFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, lines);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.err.printf("gatehouse: created %,d devices through the service API in %.1f s (%,.0f/s)%n",
        devices - from, seconds, (devices - from) / seconds);
  }

  /**
   * Creates the field gateway (kind edge) and its leaves (children of it) through the service API,
   * {@value #PROVISION_IN_FLIGHT} requests in flight; returns the edge's primary key.
   */
  /** Where devices provision, and the key of a new symmetric-key enrollment group {@code groupId}. */
  public record ProvisioningEndpoint(URI base, String idScope, byte[] groupKey, Path caPem) {}

  public ProvisioningEndpoint provisioning(String groupId) throws Exception {
    byte[] groupKey = api.createEnrollmentGroup(groupId).get(60, TimeUnit.SECONDS);
    return new ProvisioningEndpoint(api.base(), api.idScope().get(60, TimeUnit.SECONDS), groupKey,
        data.resolve("ca.pem"));
  }

  public byte[] createEdge(EdgeLeaves leaves) throws Exception {
    byte[] key = api.createIdentity(leaves.edgeId(), "{\"kind\":\"edge\"}").get(60, TimeUnit.SECONDS);
    String child = "{\"kind\":\"device\",\"parentId\":\"" + leaves.edgeId() + "\"}";
    for (int from = 0; from < leaves.size(); from += PROVISION_IN_FLIGHT) {
      List<CompletableFuture<byte[]>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(leaves.size(), from + PROVISION_IN_FLIGHT); i++) {
        batch.add(api.createIdentity(leaves.ids().get(i), child));
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    return key;
  }

  /** A field gateway process whose uplink goes to this gateway (start it after {@link #start}). */
  public EdgeProcess edgeProcess() {
    return new EdgeProcess(home, dir.resolve("edge"), javaOptions,
        new EdgeProcess.Gateway(HOST, mqttPort, data.resolve("ca.pem")));
  }

  /** The page of the telemetry log that starts at sequence {@code from}. */
  public TelemetryPage telemetryFrom(long from) throws Exception {
    return api.telemetry("from=" + from).get(60, TimeUnit.SECONDS);
  }

  /** The page of the telemetry log that starts with the first message enqueued at or after {@code time}. */
  public TelemetryPage telemetrySince(Instant time) throws Exception {
    return api.telemetry("fromTime=" + time).get(60, TimeUnit.SECONDS);
  }

  static String deviceId(int index) {
    return "bench-%05d".formatted(index);
  }

  @Override
  public void stop() {
    if (process != null) {
      process.destroy(); // SIGTERM: graceful close
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public long pid() {
    // The launcher execs java, so the shell's pid is the JVM's.
    return process == null ? -1 : process.pid();
  }

  @Override
  public ClientFactory clients(ClientFactory.Shared shared, MqttVersion version, int keepAliveSeconds)
      throws Exception {
    return new ClientFactory(shared, HOST, mqttPort, new CountingTrustManagerFactory(data.resolve("ca.pem")), version,
        keepAliveSeconds);
  }

  @Override
  public DeviceLogin device(int index) {
    String id = deviceId(index);
    String token = SasSigner.token(HOST + "/devices/" + id, keys.get(index), Instant.now().plus(Duration.ofHours(6)),
        null);
    return new DeviceLogin(id, id, HOST + "/" + id + "/?api-version=" + API_VERSION,
        token.getBytes(StandardCharsets.UTF_8), "devices/" + id + "/messages/events/",
        "devices/" + id + "/messages/devicebound/#", null);
  }

  @Override
  public InboxSender inboxSender(ClientFactory clients) throws Exception {
    return ServiceInboxSender.open(api, deviceId(0));
  }

  /**
   * Live heap after a full GC, and with NMT the "Other" category (direct buffers and
   * Unsafe-allocated memory, which is where Netty's pooled buffers live) and the NMT total. Read
   * with {@code jcmd}; a figure that cannot be read is left out.
   */
  @Override
  public Map<String, Long> memoryDetails() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (process == null) {
      return out;
    }
    jcmd("GC.run");
    Matcher heap = HEAP_USED.matcher(jcmd("GC.heap_info"));
    if (heap.find()) {
      out.put("live heap (after full GC)", Long.parseLong(heap.group(1)) * 1024);
    }
    if (nmt) {
      String summary = jcmd("VM.native_memory", "summary", "scale=KB");
      Matcher other = NMT_OTHER.matcher(summary);
      if (other.find()) {
        out.put("direct memory (NMT Other)", Long.parseLong(other.group(1)) * 1024);
      }
      Matcher total = NMT_TOTAL.matcher(summary);
      if (total.find()) {
        out.put("JVM committed (NMT total)", Long.parseLong(total.group(1)) * 1024);
      }
    }
    return out;
  }

  private String jcmd(String... command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return "";
    }
    List<String> args = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid())));
    args.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(60, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  @Override
  public List<String> notes() {
    return List.of("gatehouse: telemetry PUBACK is sent after the message is committed to SQLite "
        + "(WAL, synchronous=FULL, group commit); C2D sends are answered 201 after the inbox commit");
  }

  @Override
  public void close() {
    stop();
    if (api != null) {
      api.close();
      api = null;
    }
  }
}
