package io.gatehouse.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
  private static final Duration MAX = Duration.ofMinutes(20);

  @Test
  void aRequestWithinTheMaximumIsGrantedAsAsked() {
    assertThat(KeepAlive.granted(60, MAX)).isEqualTo(60);
    assertThat(KeepAlive.granted(1200, MAX)).isEqualTo(1200);
  }

  @Test
  void noKeepAliveOrMoreThanTheMaximumGetsTheMaximum() {
    assertThat(KeepAlive.granted(0, MAX)).isEqualTo(1200);
    assertThat(KeepAlive.granted(65_535, MAX)).isEqualTo(1200);
  }
}
