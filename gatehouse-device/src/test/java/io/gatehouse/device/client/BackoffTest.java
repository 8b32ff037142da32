package io.gatehouse.device.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void doublesFromTheMinimumWithinTheUpperHalfOfEachStepAndStopsAtTheMaximum() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.delay(0, random)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(backoff.delay(1, random)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
      assertThat(backoff.delay(3, random)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
      assertThat(backoff.delay(5, random)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
      assertThat(backoff.delay(1_000, random)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }
  }

  @Test
  void spreadsAFleetOut() {
    SplittableRandom random = new SplittableRandom(11);
    for (int attempt : new int[] {0, 4}) {
      long distinct = java.util.stream.IntStream.range(0, 100).mapToObj(i -> backoff.delay(attempt, random)).distinct()
          .count();
      assertThat(distinct).as("attempt %d", attempt).isGreaterThan(50);
    }
  }

  @Test
  void refusesBoundsThatAreNotBounds() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("min=PT2S max=PT1S");
  }
}
