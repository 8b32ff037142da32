package io.gatehouse.bench.target;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds of a Gatehouse server process by the role of its threads, from /proc (Linux), so a
 * figure per message can be split into where it goes: the SQLite writer, the handlers' virtual
 * threads, the network event loops, the JIT compiler, the garbage collector. The JIT's share is large
 * in a short run and shrinks as the server warms up; the others are what a call costs.
 *
 * <p>A thread that ends takes its CPU time with it, so take both readings while the load runs.
 */
public final class ThreadCpu {
  /** USER_HZ, as in {@link ProcStats}. */
  private static final double CLOCK_TICKS_PER_SECOND = 100.0;

  private ThreadCpu() {}

  /**
   * The role of a thread by its name as /proc shows it (cut to 15 characters): Gatehouse names its
   * threads; the JVM's own have fixed names.
   */
  static String role(String threadName) {
    if (threadName.startsWith("gatehouse-sqlit")) {
      return "SQLite writer and checkpoint";
    }
    if (threadName.startsWith("gatehouse-telem")) {
      return "telemetry writer and checkpoint";
    }
    if (threadName.startsWith("ForkJoinPool")) {
      return "virtual threads (handlers)";
    }
    if (threadName.startsWith("gatehouse-https")) {
      return "HTTPS event loops";
    }
    if (threadName.startsWith("gatehouse-mqtt")) {
      return "MQTT event loops";
    }
    if (threadName.contains("CompilerThre")) {
      return "JIT compiler";
    }
    if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
      return "garbage collector";
    }
    return "other";
  }

  /** CPU seconds by role of the threads alive now; empty if /proc cannot be read. */
  public static Map<String, Double> byRole(long pid) {
    Map<String, Double> seconds = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
          seconds.merge(role(name), cpu, Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading: its time is gone either way
        }
      }
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return seconds;
  }

  /** What each role used between two readings, in the order of the later one. */
  public static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> delta = new LinkedHashMap<>();
    after.forEach((role, seconds) -> delta.put(role, Math.max(0, seconds - before.getOrDefault(role, 0.0))));
    return delta;
  }
}
