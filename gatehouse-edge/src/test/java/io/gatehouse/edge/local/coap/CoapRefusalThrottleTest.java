package io.gatehouse.edge.local.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A flood of failed handshakes reaches the sink as a handful of reports per window. */
class CoapRefusalThrottleTest {
  private final AtomicLong now = new AtomicLong();
  private final RefusalThrottle throttle = new RefusalThrottle(Duration.ofMinutes(1), 3, now::get);

  @Test
  void reportsEachIdentitySourceAndReasonOncePerWindow() throws Exception {
    InetAddress a = InetAddress.getByName("192.168.1.20");
    InetAddress b = InetAddress.getByName("192.168.1.21");

    assertThat(throttle.admit("leaf-1", a, "wrong PSK").report()).isTrue();
    assertThat(throttle.admit("leaf-1", a, "wrong PSK").report()).isFalse();
    assertThat(throttle.admit("leaf-1", b, "wrong PSK").report()).isTrue();
    assertThat(throttle.admit("x", a, "unknown").report()).isTrue();
  }

  @Test
  void capsTheReportsPerWindowAndCountsTheRest() throws Exception {
    InetAddress source = InetAddress.getByName("192.168.1.20");
    int reported = 0;
    for (int i = 0; i < 1000; i++) {
      reported += throttle.admit("stranger-" + i, source, "unknown").report() ? 1 : 0;
    }
    assertThat(reported).isEqualTo(3);

    now.addAndGet(Duration.ofMinutes(1).toNanos());
    RefusalThrottle.Decision next = throttle.admit("stranger-0", source, "unknown");

    assertThat(next.report()).isTrue();
    assertThat(next.suppressedBefore()).isEqualTo(997);
  }
}
