package io.gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Where the figures were taken: cores, CPU, memory, OS, JDK. */
public record Machine(int cores, String cpu, long memoryBytes, String os, String jdk, long generatorMaxHeap,
    int nettyThreads) {

  public static Machine describe(int nettyThreads) {
    return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memTotal(), osName(),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory(), nettyThreads);
  }

  public String oneLine() {
    return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB RAM, %s, %s", cores, cpu, memoryBytes / 1073741824.0,
        os, jdk);
  }

  public String generator() {
    return String.format(Locale.ROOT,
        "HiveMQ MQTT client 1.4.1, TLS by %s, %d shared Netty event-loop threads, max heap %d MiB, on the same machine",
        tlsProvider(), nettyThreads, generatorMaxHeap / 1048576);
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("cpu", cpu);
    m.put("memoryBytes", memoryBytes);
    m.put("os", os);
    m.put("jdk", jdk);
    m.put("generator", generator());
    m.put("generatorTls", tlsProvider());
    return m;
  }

  /**
   * The TLS implementation the simulated devices use. Netty (under the HiveMQ client) picks OpenSSL
   * (BoringSSL from netty-tcnative) when it is on the classpath, else the JDK's; the JDK's client
   * handshake costs the generator about three times as much CPU (its ECDSA P-256 verification).
   */
  public static String tlsProvider() {
    try {
      Class<?> openSsl = Class.forName("io.netty.handler.ssl.OpenSsl");
      if ((Boolean) openSsl.getMethod("isAvailable").invoke(null)) {
        return openSsl.getMethod("versionString").invoke(null) + " (netty-tcnative)";
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      // not on the classpath
    }
    return "the JDK (" + System.getProperty("java.runtime.version") + ")";
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return System.getProperty("os.arch");
  }

  private static long memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return -1;
  }

  private static String osName() {
    String pretty = null;
    try {
      List<String> lines = Files.readAllLines(Path.of("/etc/os-release"));
      for (String line : lines) {
        if (line.startsWith("PRETTY_NAME=")) {
          pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
    return pretty == null ? kernel : pretty + " (" + kernel + ")";
  }
}
