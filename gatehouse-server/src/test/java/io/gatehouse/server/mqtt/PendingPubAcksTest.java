package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PendingPubAcksTest {
  private final EmbeddedChannel loop = new EmbeddedChannel();
  private final List<PendingPubAcks.Delivery> timedOut = new ArrayList<>();
  private final PendingPubAcks pending = new PendingPubAcks(loop.eventLoop(), Duration.ofSeconds(60), timedOut::add);

  @Test
  void acknowledgementReturnsTheInboxAndLockTokenOnce() {
    int id = pending.nextPacketId();
    pending.add(id, "leaf-1", "lock-1");
    assertThat(pending.acknowledge(id)).isEqualTo(new PendingPubAcks.Delivery(id, "leaf-1", "lock-1"));
    assertThat(pending.acknowledge(id)).isNull();
    assertThat(pending.size()).isZero();
  }

  @Test
  void unacknowledgedDeliveryTimesOut() {
    pending.add(pending.nextPacketId(), "d1", "lock-1");
    loop.advanceTimeBy(59, TimeUnit.SECONDS);
    loop.runScheduledPendingTasks();
    assertThat(timedOut).isEmpty();
    loop.advanceTimeBy(2, TimeUnit.SECONDS);
    loop.runScheduledPendingTasks();
    assertThat(timedOut).extracting(PendingPubAcks.Delivery::lockToken).containsExactly("lock-1");
    assertThat(pending.size()).isZero();
  }

  @Test
  void packetIdsWrapAndSkipThoseInUse() {
    int first = pending.nextPacketId();
    pending.add(first, "d1", "held");
    for (int i = 0; i < 65_534; i++) {
      assertThat(pending.nextPacketId()).isNotEqualTo(first).isBetween(1, 65_535);
    }
    assertThat(pending.nextPacketId()).isEqualTo(first + 1); // wrapped past 65535 and skipped the held id
    assertThat(pending.drain()).hasSize(1);
  }
}
