package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboxRotationTest {
  private final InboxRotation rotation = new InboxRotation();

  @Test
  void subscribedInboxesTakeTurnsAndOneWithMoreMessagesGoesToTheBackOfTheLine() {
    rotation.subscribe("edge");
    rotation.subscribe("leaf-1");
    rotation.subscribe("leaf-2");

    assertThat(rotation.next()).isEqualTo("edge");
    rotation.changed("edge"); // the pull found a message: there may be more
    assertThat(rotation.next()).isEqualTo("leaf-1");
    assertThat(rotation.next()).isEqualTo("leaf-2");
    assertThat(rotation.next()).isEqualTo("edge");
    assertThat(rotation.next()).isNull();
  }

  @Test
  void aChangeMakesOnlyThatInboxReadyAndOnlyOnce() {
    rotation.subscribe("leaf-1");
    rotation.subscribe("leaf-2");
    drain();

    rotation.changed("leaf-2");
    rotation.changed("leaf-2");
    rotation.changed("not-subscribed");

    assertThat(drain()).containsExactly("leaf-2");
  }

  @Test
  void aPausedInboxWaitsForItsRenewalOrTheIdlePoll() {
    rotation.subscribe("leaf-1");
    rotation.subscribe("leaf-2");
    rotation.pause("leaf-1");

    rotation.changed("leaf-1");
    assertThat(drain()).containsExactly("leaf-2");

    rotation.subscribe("leaf-1"); // renewed
    assertThat(drain()).containsExactly("leaf-1");

    rotation.pause("leaf-1");
    rotation.pollAll();
    assertThat(drain()).containsExactly("leaf-1", "leaf-2");
  }

  @Test
  void anUnsubscribedInboxIsNeverReady() {
    rotation.subscribe("leaf-1");
    rotation.unsubscribe("leaf-1");
    rotation.changed("leaf-1");
    rotation.pollAll();

    assertThat(rotation.next()).isNull();
    assertThat(rotation.isSubscribed("leaf-1")).isFalse();
  }

  private List<String> drain() {
    List<String> order = new ArrayList<>();
    for (String next = rotation.next(); next != null; next = rotation.next()) {
      order.add(next);
    }
    return order;
  }
}
