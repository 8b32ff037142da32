package io.gatehouse.bench.scenario;

import io.gatehouse.bench.target.ProcStats;

/** CPU used by the server process and by the generator over a stretch of wall time. */
final class CpuWindow {
  private final long pid;
  private final double server0;
  private final double generator0;
  private final double machine0;
  private final long wall0;
  private double serverCores = Double.NaN;
  private double generatorCores = Double.NaN;
  private double otherCores = Double.NaN;
  private double wallSeconds = Double.NaN;

  private CpuWindow(long pid) {
    this.pid = pid;
    this.server0 = ProcStats.cpuSeconds(pid);
    this.generator0 = ProcStats.selfCpuSeconds();
    this.machine0 = ProcStats.machineBusySeconds();
    this.wall0 = System.nanoTime();
  }

  static CpuWindow start(long pid) {
    return new CpuWindow(pid);
  }

  CpuWindow stop() {
    double wall = (System.nanoTime() - wall0) / 1e9;
    wallSeconds = wall;
    serverCores = (ProcStats.cpuSeconds(pid) - server0) / wall;
    generatorCores = (ProcStats.selfCpuSeconds() - generator0) / wall;
    double machine = (ProcStats.machineBusySeconds() - machine0) / wall;
    otherCores = Math.max(0, machine - serverCores - generatorCores);
    return this;
  }

  /** CPU seconds the server used in the window. */
  double serverSeconds() {
    return serverCores * wallSeconds;
  }

  /** CPU seconds the generator used in the window. */
  double generatorSeconds() {
    return generatorCores * wallSeconds;
  }

  /** Average cores busy in the server process. */
  double serverCores() {
    return serverCores;
  }

  /** Average cores busy in every other process of the machine: should be near 0 for clean figures. */
  double otherCores() {
    return otherCores;
  }

  /** Average cores busy in the generator (this JVM). */
  double generatorCores() {
    return generatorCores;
  }
}
