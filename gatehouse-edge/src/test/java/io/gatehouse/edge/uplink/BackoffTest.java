package io.gatehouse.edge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(7));

  @Test
  void theBoundDoublesUpToTheMaximumAndNeverOverflows() {
    assertThat(backoff.bound(0)).isEqualTo(100);
    assertThat(backoff.bound(1)).isEqualTo(200);
    assertThat(backoff.bound(6)).isEqualTo(6_400);
    assertThat(backoff.bound(7)).isEqualTo(10_000);
    assertThat(backoff.bound(61)).isEqualTo(10_000);
    assertThat(backoff.bound(1_000)).isEqualTo(10_000);
  }

  @Test
  void delaysAreJitteredWithinTheBoundAndStartOverAfterAReset() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      long delay = backoff.next().toMillis();
      assertThat(delay).isBetween(0L, 10_000L);
      seen.add(delay);
    }
    // Full jitter: edges cut off together do not come back in lock step.
    assertThat(seen).hasSizeGreaterThan(40);
    backoff.reset();
    assertThat(backoff.next().toMillis()).isBetween(0L, 100L);
  }

  @Test
  void refusesANonsensicalRange() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
