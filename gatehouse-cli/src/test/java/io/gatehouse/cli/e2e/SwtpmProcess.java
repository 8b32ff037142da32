package io.gatehouse.cli.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real swtpm for the CLI's device commands, started as the README tells users to (the device
 * module's test fixture is not visible from here): free loopback ports, a fresh state folder,
 * polled until it accepts, stopped at close.
 */
final class SwtpmProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private SwtpmProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static SwtpmProcess start(Path state) throws IOException {
    Files.createDirectories(state);
    int port;
    int ctrl;
    try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = a.getLocalPort();
      ctrl = b.getLocalPort();
    }
    Process p = new ProcessBuilder("swtpm", "socket", "--tpm2",
        "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
        "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
        "--tpmstate", "dir=" + state, "--flags", "not-need-init,startup-clear")
        .redirectErrorStream(true).redirectOutput(state.resolveSibling("swtpm.log").toFile()).start();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> !p.isAlive() || accepts(port));
    if (!p.isAlive()) {
      throw new IOException("swtpm exited with " + p.exitValue() + ": " + Files.readString(state.resolveSibling("swtpm.log")));
    }
    return new SwtpmProcess(p, port);
  }

  String address() {
    return "swtpm://127.0.0.1:" + port;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
