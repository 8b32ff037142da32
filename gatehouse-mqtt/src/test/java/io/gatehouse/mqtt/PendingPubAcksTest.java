package io.gatehouse.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PendingPubAcksTest {
  private final EmbeddedChannel loop = new EmbeddedChannel();
  private final List<String> timedOut = new ArrayList<>();
  private final PendingPubAcks<String> pending =
      new PendingPubAcks<>(loop.eventLoop(), Duration.ofSeconds(60), timedOut::add);

  @Test
  void aPubAckSettlesItsDeliveryOnce() {
    int id = pending.nextPacketId();
    pending.add(id, "lock-1");

    assertThat(pending.acknowledge(id)).isEqualTo("lock-1");
    assertThat(pending.acknowledge(id)).isNull();
    assertThat(pending.size()).isZero();
  }

  @Test
  void anUnacknowledgedDeliveryTimesOutAndAnAcknowledgedOneDoesNot() {
    pending.add(pending.nextPacketId(), "lock-1");
    int answered = pending.nextPacketId();
    pending.add(answered, "lock-2");
    pending.acknowledge(answered);

    loop.advanceTimeBy(59, TimeUnit.SECONDS);
    loop.runScheduledPendingTasks();
    assertThat(timedOut).isEmpty();
    loop.advanceTimeBy(2, TimeUnit.SECONDS);
    loop.runScheduledPendingTasks();

    assertThat(timedOut).containsExactly("lock-1");
    assertThat(pending.size()).isZero();
  }

  @Test
  void drainingReturnsEveryPendingDeliveryAndCancelsTheirTimeouts() {
    pending.add(pending.nextPacketId(), "a");
    pending.add(pending.nextPacketId(), "b");

    assertThat(pending.drain()).containsExactlyInAnyOrder("a", "b");
    loop.advanceTimeBy(61, TimeUnit.SECONDS);
    loop.runScheduledPendingTasks();

    assertThat(timedOut).isEmpty();
    assertThat(pending.size()).isZero();
  }

  @Test
  void packetIdsWrapAndSkipThoseInUse() {
    int first = pending.nextPacketId();
    pending.add(first, "held");
    for (int i = 0; i < 65_534; i++) {
      assertThat(pending.nextPacketId()).isNotEqualTo(first).isBetween(1, 65_535);
    }
    assertThat(pending.nextPacketId()).isEqualTo(first + 1); // wrapped past 65535 and skipped the held id
    assertThat(pending.drain()).containsExactly("held");
  }
}
