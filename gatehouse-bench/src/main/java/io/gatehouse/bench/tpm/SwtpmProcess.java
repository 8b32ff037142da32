package io.gatehouse.bench.tpm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A swtpm for the measurement: fresh state, a free loopback port, initialised by itself, stopped at the end. */
final class SwtpmProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private SwtpmProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static SwtpmProcess start(Path stateDir) throws IOException, InterruptedException {
    Files.createDirectories(stateDir);
    int port = freePort();
    int ctrl = freePort();
    Process p = new ProcessBuilder(List.of("swtpm", "socket", "--tpm2",
        "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
        "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
        "--tpmstate", "dir=" + stateDir, "--flags", "not-need-init,startup-clear"))
        .redirectErrorStream(true).redirectOutput(stateDir.resolveSibling("swtpm.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!accepts(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("swtpm did not start: " + Files.readString(stateDir.resolveSibling("swtpm.log")));
      }
      // A blocking wait on the process, bounded: it returns at once if swtpm exits.
      p.waitFor(5, TimeUnit.MILLISECONDS);
    }
    return new SwtpmProcess(p, port);
  }

  String address() {
    return "swtpm://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
