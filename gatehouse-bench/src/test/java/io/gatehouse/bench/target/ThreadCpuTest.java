package io.gatehouse.bench.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void threadsAreSortedByTheNamesLinuxShows() {
    assertThat(ThreadCpu.role("gatehouse-sqlit")).isEqualTo("SQLite writer and checkpoint");
    assertThat(ThreadCpu.role("gatehouse-telem")).isEqualTo("telemetry writer and checkpoint");
    assertThat(ThreadCpu.role("ForkJoinPool-1-")).isEqualTo("virtual threads (handlers)");
    assertThat(ThreadCpu.role("gatehouse-https")).isEqualTo("HTTPS event loops");
    assertThat(ThreadCpu.role("gatehouse-mqtt-")).isEqualTo("MQTT event loops");
    assertThat(ThreadCpu.role("C2 CompilerThre")).isEqualTo("JIT compiler");
    assertThat(ThreadCpu.role("GC Thread#0")).isEqualTo("garbage collector");
    assertThat(ThreadCpu.role("G1 Refine#0")).isEqualTo("garbage collector");
    assertThat(ThreadCpu.role("gatehouse-shutdo")).isEqualTo("other");
  }

  @Test
  void readsThisProcessAndCountsOnlyWhatWasUsedBetweenReadings() {
    long pid = ProcessHandle.current().pid();
    Map<String, Double> before = ThreadCpu.byRole(pid);
    assertThat(before).containsKey("other"); // this test's own thread, "main" or a worker
    double start = ProcStats.cpuSeconds(pid);
    double sum = 0;
    while (ProcStats.cpuSeconds(pid) - start < 0.1) { // a tenth of a second of work: ten clock ticks
      for (int i = 0; i < 100_000; i++) {
        sum += Math.sqrt(i);
      }
    }
    Map<String, Double> delta = ThreadCpu.since(before, ThreadCpu.byRole(pid));
    assertThat(sum).isPositive();
    assertThat(delta.values()).allMatch(seconds -> seconds >= 0);
    assertThat(delta.values().stream().mapToDouble(Double::doubleValue).sum()).isGreaterThanOrEqualTo(0.05);
  }
}
