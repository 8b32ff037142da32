package io.gatehouse.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * {@code gatehouse edge --config edge.yaml} as a process of its own, run by the same launcher as the
 * gateway: its leaves on 127.0.0.1 (plain MQTT on a free port), one transform stage so the pipeline
 * works on every message, a disk buffer in a fresh directory, and its uplink to the bench's gateway.
 */
public final class EdgeProcess implements AutoCloseable {
  /** The edge's own log line once its MQTT 5 uplink is up (gatehouse-edge Uplink). */
  static final String UPLINK_CONNECTED = "uplink connected";
  /** The stage every message passes: leaves send {@code temperature} in tenths of a degree. */
  public static final String PIPELINE = "{type: transform, scale: {temperature: {factor: 0.1}}}";
  /** Publishes the uplink keeps unacknowledged: edge.yaml's default, written out so the report can name it. */
  public static final int UPLINK_WINDOW = 512;
  private static final long UPLINK_WAIT_SECONDS = 60;

  /** Where the uplink goes: the gateway's MQTT port on 127.0.0.1, its TLS name and CA. */
  record Gateway(String hostName, int mqttPort, Path caCertificate) {}

  private final Path home;
  private final Path dir;
  private final String javaOptions;
  private final Gateway gateway;
  private final Path log;
  private Process process;
  private Thread cleanup;
  private int leafPort;

  EdgeProcess(Path home, Path dir, String javaOptions, Gateway gateway) {
    this.home = home;
    this.dir = dir;
    this.javaOptions = javaOptions;
    this.gateway = gateway;
    this.log = dir.resolve("edge.log");
  }

  /**
   * Writes the edge's key file and edge.yaml (both 0600, as the edge demands), starts the edge and
   * returns once its log says the uplink is connected.
   */
  public void start(EdgeLeaves leaves, byte[] edgeKey) throws Exception {
    Files.createDirectories(dir);
    deleteTree(dir.resolve("data")); // a buffer left by an earlier run would be forwarded first
    writePrivate(dir.resolve("edge.key"), Base64.getEncoder().encodeToString(edgeKey));
    leafPort = MosquittoTarget.freePort();
    Path config = dir.resolve("edge.yaml");
    writePrivate(config, config(leaves));
    ProcessBuilder builder = new ProcessBuilder("sh", home.resolve("gatehouse").toString(), "edge", "--config",
        config.toString()).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("GATEHOUSE_JAVA_OPTS", javaOptions);
    builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    process = builder.start();
    // Should the bench be interrupted (Ctrl-C), the edge must not outlive it.
    Process started = process;
    cleanup = new Thread(started::destroyForcibly, "bench-edge-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      awaitUplink();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private String config(EdgeLeaves leaves) {
    StringBuilder yaml = new StringBuilder("""
        # written by gatehouse-bench (edge scenario)
        edge: {id: %s, dataDirectory: data}
        uplink:
          host: 127.0.0.1
          port: %d
          hostName: %s
          caCertificate: %s
          sasKeyFile: edge.key
          window: %d
        mqtt:
          bind: ["127.0.0.1:%d"]
        pipeline:
          - %s
        leaves:
        """.formatted(leaves.edgeId(), gateway.mqttPort(), gateway.hostName(), gateway.caCertificate(),
        UPLINK_WINDOW, leafPort, PIPELINE));
    for (int i = 0; i < leaves.size(); i++) {
      yaml.append("  - {id: ").append(leaves.ids().get(i)).append(", secret: \"").append(leaves.secrets().get(i))
          .append("\"}\n");
    }
    return yaml.toString();
  }

  private void awaitUplink() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(UPLINK_WAIT_SECONDS);
    while (!Files.exists(log) || !Files.readString(log).contains(UPLINK_CONNECTED)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("gatehouse edge exited (" + process.exitValue() + ") before its uplink "
            + "connected; see " + log + ": " + MosquittoTarget.tail(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the edge's uplink did not connect within " + UPLINK_WAIT_SECONDS + " s; see "
            + log + ": " + MosquittoTarget.tail(log));
      }
      Thread.sleep(50);
    }
  }

  /** The edge's plain MQTT port for leaves, on 127.0.0.1. */
  public int leafPort() {
    return leafPort;
  }

  /** The edge's process id (the launcher execs java, so it is the JVM's). */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy(); // SIGTERM: the edge closes its buffer and uplink
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
    if (cleanup != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
      cleanup = null;
    }
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
