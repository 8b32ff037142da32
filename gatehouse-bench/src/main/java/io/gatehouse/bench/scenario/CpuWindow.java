package io.gatehouse.bench.scenario;

import io.gatehouse.bench.target.ProcStats;

/**
 * CPU used by the server process(es) and by the generator over a stretch of wall time. Most
 * scenarios measure one server; the edge scenario measures two (the field gateway and the service
 * gateway), and "server" then means both together, so "other processes" stays everything else.
 */
final class CpuWindow {
  private final long[] pids;
  private final double[] process0;
  private final double generator0;
  private final ProcStats.SchedulerTime[] processScheduler0;
  private final ProcStats.SchedulerTime generatorScheduler0;
  private final double machine0;
  private final long wall0;
  private final double[] processCores;
  private double generatorCores = Double.NaN;
  private double otherCores = Double.NaN;
  private double wallSeconds = Double.NaN;
  private double serverWaitPerRun = Double.NaN;
  private double generatorWaitPerRun = Double.NaN;

  private CpuWindow(long[] pids) {
    this.pids = pids.clone();
    this.process0 = new double[pids.length];
    this.processCores = new double[pids.length];
    this.processScheduler0 = new ProcStats.SchedulerTime[pids.length];
    for (int i = 0; i < pids.length; i++) {
      process0[i] = ProcStats.cpuSeconds(pids[i]);
      processScheduler0[i] = ProcStats.schedulerTime(pids[i]);
      processCores[i] = Double.NaN;
    }
    this.generator0 = ProcStats.selfCpuSeconds();
    this.generatorScheduler0 = ProcStats.schedulerTime(ProcessHandle.current().pid());
    this.machine0 = ProcStats.machineBusySeconds();
    this.wall0 = System.nanoTime();
  }

  /** @param serverPids the server processes measured, in the order {@link #processCores} takes them */
  static CpuWindow start(long... serverPids) {
    return new CpuWindow(serverPids);
  }

  CpuWindow stop() {
    double wall = (System.nanoTime() - wall0) / 1e9;
    wallSeconds = wall;
    for (int i = 0; i < pids.length; i++) {
      processCores[i] = (ProcStats.cpuSeconds(pids[i]) - process0[i]) / wall;
    }
    generatorCores = (ProcStats.selfCpuSeconds() - generator0) / wall;
    double ran = 0;
    double waited = 0;
    for (int i = 0; i < pids.length; i++) {
      ProcStats.SchedulerTime now = ProcStats.schedulerTime(pids[i]);
      ran += now.runSeconds() - processScheduler0[i].runSeconds();
      waited += now.waitSeconds() - processScheduler0[i].waitSeconds();
    }
    serverWaitPerRun = ratio(waited, ran);
    ProcStats.SchedulerTime generator = ProcStats.schedulerTime(ProcessHandle.current().pid());
    generatorWaitPerRun = ratio(generator.waitSeconds() - generatorScheduler0.waitSeconds(),
        generator.runSeconds() - generatorScheduler0.runSeconds());
    double machine = (ProcStats.machineBusySeconds() - machine0) / wall;
    otherCores = Math.max(0, machine - serverCores() - generatorCores);
    return this;
  }

  /** CPU seconds the server process(es) used in the window. */
  double serverSeconds() {
    return serverCores() * wallSeconds;
  }

  /** CPU seconds the generator used in the window. */
  double generatorSeconds() {
    return generatorCores * wallSeconds;
  }

  /** Average cores busy in the server process(es), together. */
  double serverCores() {
    double sum = 0;
    for (double cores : processCores) {
      sum += cores;
    }
    return sum;
  }

  /**
   * Seconds the server's threads waited for a core (runnable, not running) per CPU second they ran:
   * near 0 when cores are free; about 1 means every thread waited as long as it ran, a queue on the
   * CPU that every hop of a message pays again. NaN without the kernel's scheduler statistics.
   */
  double serverWaitPerCpuSecond() {
    return serverWaitPerRun;
  }

  /** {@link #serverWaitPerCpuSecond()} of the generator's threads. */
  double generatorWaitPerCpuSecond() {
    return generatorWaitPerRun;
  }

  /** NaN rather than a misleading 0 or infinity when too little ran to tell (or nothing was read). */
  private static double ratio(double waited, double ran) {
    return ran > 0 && waited >= 0 ? waited / ran : Double.NaN;
  }

  /** Average cores busy in the {@code index}th server process given to {@link #start}. */
  double processCores(int index) {
    return processCores[index];
  }

  /** CPU seconds the {@code index}th server process used in the window. */
  double processSeconds(int index) {
    return processCores[index] * wallSeconds;
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
