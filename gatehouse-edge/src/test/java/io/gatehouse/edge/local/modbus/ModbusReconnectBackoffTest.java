package io.gatehouse.edge.local.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many poll ticks a silent device waits between attempts. */
class ModbusReconnectBackoffTest {
  @Test
  void waitsOneTwoFourThenEightIntervals() {
    assertThat(gapsBetweenAttempts(new ReconnectBackoff(Duration.ofSeconds(1)), 6)).containsExactly(1, 2, 4, 8, 8, 8);
  }

  @Test
  void neverWaitsMuchLongerThanAMinute() {
    assertThat(new ReconnectBackoff(Duration.ofSeconds(20)).maxIntervals()).isEqualTo(3);
    assertThat(new ReconnectBackoff(Duration.ofMinutes(5)).maxIntervals()).isEqualTo(1);
  }

  @Test
  void anAnswerStartsAgainFromOneInterval() {
    ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1));
    gapsBetweenAttempts(backoff, 4);

    backoff.reset();

    assertThat(gapsBetweenAttempts(backoff, 2)).containsExactly(1, 2);
  }

  /** Fails every attempt and records how many ticks passed from one attempt to the next. */
  private static List<Integer> gapsBetweenAttempts(ReconnectBackoff backoff, int attempts) {
    List<Integer> gaps = new ArrayList<>();
    backoff.failed();
    int ticks = 0;
    while (gaps.size() < attempts) {
      ticks++;
      if (backoff.attemptDue()) {
        gaps.add(ticks);
        ticks = 0;
        backoff.failed();
      }
    }
    return gaps;
  }
}
