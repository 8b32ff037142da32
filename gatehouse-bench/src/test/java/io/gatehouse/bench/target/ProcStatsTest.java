package io.gatehouse.bench.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProcStatsTest {
  @Test
  void threadsThatOutnumberTheCoresAreSeenWaitingForOne() throws InterruptedException {
    long pid = ProcessHandle.current().pid();
    ProcStats.SchedulerTime before = ProcStats.schedulerTime(pid);
    double cpuBefore = ProcStats.cpuSeconds(pid);
    assertThat(before.waitSeconds()).isNotNaN().isNotNegative();

    // Twice as many spinning threads as cores, plus one: at any moment at least half are runnable
    // but not running, until the process has used half a second of CPU.
    int spinners = 2 * Runtime.getRuntime().availableProcessors() + 1;
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < spinners; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        while (!stop.get()) {
          Thread.onSpinWait();
        }
      }));
    }
    while (ProcStats.cpuSeconds(pid) - cpuBefore < 0.5) {
      Thread.onSpinWait();
    }
    ProcStats.SchedulerTime during = ProcStats.schedulerTime(pid); // read while they still spin
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(during.waitSeconds() - before.waitSeconds()).isGreaterThan(0.1);
    assertThat(during.runSeconds() - before.runSeconds()).isGreaterThan(0.3);
  }
}
