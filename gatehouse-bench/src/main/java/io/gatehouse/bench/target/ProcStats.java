package io.gatehouse.bench.target;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

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
   * What the scheduler counted for a process's live threads (/proc/PID/task/TID/schedstat): seconds
   * running, and seconds runnable but waiting for a core. Both cover the same threads, so their
   * ratio holds even when threads come and go between two readings.
   */
  public record SchedulerTime(double runSeconds, double waitSeconds) {
    public static final SchedulerTime UNKNOWN = new SchedulerTime(Double.NaN, Double.NaN);
  }

  /** {@link SchedulerTime} summed over the process's threads; {@link SchedulerTime#UNKNOWN} if none could be read. */
  public static SchedulerTime schedulerTime(long pid) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      long run = 0;
      long wait = 0;
      int read = 0;
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String[] f = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
          run += Long.parseLong(f[0]);
          wait += Long.parseLong(f[1]);
          read++;
        } catch (IOException ended) {
          // the thread ended between the listing and the read
        }
      }
      // No thread readable: the kernel keeps no scheduler statistics (not "no waiting").
      return read == 0 ? SchedulerTime.UNKNOWN : new SchedulerTime(run / 1e9, wait / 1e9);
    } catch (IOException | RuntimeException e) {
      return SchedulerTime.UNKNOWN;
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
