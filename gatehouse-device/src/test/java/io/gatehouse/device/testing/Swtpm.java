package io.gatehouse.device.testing;

import static org.awaitility.Awaitility.await;

import io.gatehouse.device.tpm.transport.SwtpmSocketTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real swtpm process: {@code swtpm socket --tpm2} on free loopback ports, its state in its own
 * folder. Started and restarted without sleeps (the port is polled until it accepts); stopped with
 * SIGTERM, then SIGKILL if it lingers; a JVM shutdown hook stops it if the test run dies first.
 */
public final class Swtpm implements AutoCloseable {
  private static final int START_ATTEMPTS = 5;

  private final Path stateDir;
  private Process process;
  private Thread shutdownHook;
  private int port;

  private final boolean initialised;

  private Swtpm(Path stateDir, boolean initialised) {
    this.stateDir = stateDir;
    this.initialised = initialised;
  }

  /** Starts swtpm on {@code stateDir} (created if missing; an existing state is kept), initialised and started up. */
  public static Swtpm start(Path stateDir) throws IOException {
    return start(stateDir, true);
  }

  /**
   * @param initialised whether swtpm initialises its TPM and sends TPM2_Startup itself
   *     ({@code --flags not-need-init,startup-clear}); without, it waits for CMD_INIT on its control port
   */
  static Swtpm start(Path stateDir, boolean initialised) throws IOException {
    Files.createDirectories(stateDir);
    Swtpm swtpm = new Swtpm(stateDir, initialised);
    swtpm.launch();
    return swtpm;
  }

  public Path stateDir() {
    return stateDir;
  }

  public int port() {
    return port;
  }

  public String address() {
    return "swtpm://127.0.0.1:" + port;
  }

  public SwtpmSocketTransport connect() {
    return SwtpmSocketTransport.connect("127.0.0.1", port);
  }

  /** Stops the process and starts a new one on the same state, as a device reboot would. */
  public void restart() throws IOException {
    stop();
    launch();
  }

  /**
   * Runs a tpm2-tools command against this TPM (swtpm serves one client at a time: close
   * connections first) and returns its standard output.
   */
  public String tpm2Tools(String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("TPM2TOOLS_TCTI", "swtpm:host=127.0.0.1,port=" + port);
    Process tool = builder.start();
    String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!tool.waitFor(30, TimeUnit.SECONDS) || tool.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  private void launch() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int[] ports = freePorts();
      Path log = stateDir.resolveSibling(stateDir.getFileName() + "-swtpm.log");
      List<String> command = new ArrayList<>(List.of("swtpm", "socket", "--tpm2",
          "--server", "type=tcp,port=" + ports[0] + ",bindaddr=127.0.0.1",
          "--ctrl", "type=tcp,port=" + ports[1] + ",bindaddr=127.0.0.1",
          "--tpmstate", "dir=" + stateDir));
      if (initialised) {
        command.addAll(List.of("--flags", "not-need-init,startup-clear"));
      }
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
          .until(() -> !p.isAlive() || accepts(ports[0]));
      if (p.isAlive()) {
        process = p;
        port = ports[0];
        shutdownHook = new Thread(p::destroyForcibly, "stop-swtpm-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        return;
      }
      // Another process took a port between our probe and swtpm's bind: try other ports.
      last = new IOException("swtpm exited with " + p.exitValue() + ": " + Files.readString(log).strip());
    }
    throw last;
  }

  private void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().removeShutdownHook(shutdownHook);
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Two adjacent free ports: tpm2-tools' swtpm TCTI expects the control port right after the data port. */
  private static int[] freePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = a.getLocalPort();
        if (port == 65535) {
          continue;
        }
        try (ServerSocket b = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
          return new int[] {port, b.getLocalPort()};
        } catch (IOException taken) {
          // The next port is in use: draw another pair.
        }
      }
    }
    throw new IOException("found no two adjacent free ports on 127.0.0.1");
  }
}
