package io.gatehouse.bench.target;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory and CPU time from /proc (Linux). */
public final class ProcStats {
  /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux architecture in use. */
  private static final double CLOCK_TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /** VmRSS of the process in bytes, or -1 if unreadable. */
  public static long rssBytes(long pid) {
    return statusField(pid, "VmRSS:");
  }

  /** Threads of the process, or -1. */
  public static long threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring(8).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static long statusField(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // always kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** User + system CPU seconds the process has used, or NaN. */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // comm may contain spaces: fields are counted after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // f[0] is field 3 (state); utime is field 14, stime field 15
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * Seconds the process's threads have spent runnable but waiting for a core, summed over its live
   * threads (the second field of /proc/PID/task/TID/schedstat), or NaN if the kernel does not keep
   * these statistics. A thread that ended takes its share with it.
   */
  public static double runQueueWaitSeconds(long pid) {
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      long nanos = 0;
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String[] f = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
          nanos += Long.parseLong(f[1]);
        } catch (java.nio.file.NoSuchFileException ended) {
          // the thread ended between the listing and the read
        }
      }
      return nanos / 1e9;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Busy CPU seconds of the whole machine (all cores) since boot, from /proc/stat; NaN if unreadable. */
  public static double machineBusySeconds() {
    try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/stat"))) {
      String[] f = r.readLine().trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
          + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
      return busy / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The 1-minute load average, or NaN. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds of this JVM (the load generator). */
  public static double selfCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return cpuSeconds(ProcessHandle.current().pid());
  }
}
