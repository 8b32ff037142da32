package io.gatehouse.bench.scenario;

import io.gatehouse.bench.Report;
import io.gatehouse.bench.Settings;
import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.target.Target;

/** One measurement, run against one started target. */
public interface Scenario {
  /** connect, telemetry, idle, inbox or edge. */
  String key();

  String title(Settings settings);

  default Target.StartOptions startOptions() {
    return Target.StartOptions.PLAIN;
  }

  void run(Target target, ClientFactory clients, Settings settings, Report report) throws Exception;

  /** A goal applies to Gatehouse only: the targets are for it, Mosquitto is the reference. */
  static Report.Goal goal(Target target, String text, boolean met) {
    return "gatehouse".equals(target.name()) ? new Report.Goal(text, met) : null;
  }

  static void cpuRows(Report report, String scenario, Target target, String prefix, CpuWindow cpu) {
    report.add(scenario, target.name(), prefix + "server CPU", cpu.serverCores(), "cores busy");
    report.add(scenario, target.name(), prefix + "generator CPU", cpu.generatorCores(), "cores busy");
    report.add(scenario, target.name(), prefix + "other processes' CPU", cpu.otherCores(), "cores busy");
    noiseNote(report, scenario, target, prefix, cpu);
  }

  /** A note when other processes competed for the CPU during the window. */
  static void noiseNote(Report report, String scenario, Target target, String prefix, CpuWindow cpu) {
    if (cpu.otherCores() > 0.25) {
      report.note(scenario, target.name() + ": other processes used " + String.format(java.util.Locale.ROOT, "%.2f",
          cpu.otherCores()) + " cores during " + (prefix.isEmpty() ? "the measurement" : prefix.replace(": ", ""))
          + ": the machine was not quiet, the figures understate both servers");
    }
  }
}
