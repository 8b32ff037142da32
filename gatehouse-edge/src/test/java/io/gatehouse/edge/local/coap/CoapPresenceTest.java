package io.gatehouse.edge.local.coap;

import static io.gatehouse.edge.local.coap.EdgeUnderTest.KEY;
import static io.gatehouse.edge.local.coap.EdgeUnderTest.LEAF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** leafConnected/leafDisconnected follow the DTLS session and the leaf's traffic. */
class CoapPresenceTest {
  private final EdgeUnderTest edge = new EdgeUnderTest(c -> c.withSessionIdle(Duration.ofSeconds(1)));

  @AfterEach
  void tearDown() {
    edge.close();
  }

  @Test
  void anIdleLeafCountsAsDisconnectedUntilItsNextRequest() throws Exception {
    LeafClient leaf = edge.leaf(LEAF);
    leaf.post("/telemetry", "1", -1).response();

    await().until(() -> edge.sink.presence.contains("disconnected:" + LEAF));
    assertThat(leaf.post("/telemetry", "2", -1).response().getCode()).isEqualTo(ResponseCode.CHANGED);

    await().until(() -> edge.sink.presence.size() == 3);
    assertThat(edge.sink.presence).containsExactly("connected:" + LEAF, "disconnected:" + LEAF, "connected:" + LEAF);
  }

  @Test
  void aLeafThatClosesItsSessionIsDisconnected() throws Exception {
    LeafClient leaf = edge.leaf(LEAF);
    leaf.post("/telemetry", "1", -1).response();

    leaf.closeSession();

    await().until(() -> edge.sink.presence.contains("disconnected:" + LEAF));
    assertThat(edge.sink.presence).containsExactly("connected:" + LEAF, "disconnected:" + LEAF);
  }

  @Test
  void aNewSessionOfTheSameLeafTakesOverWithoutADisconnect() throws Exception {
    edge.leaf(LEAF).post("/telemetry", "1", -1).response();
    LeafClient rebooted = edge.client(LEAF, KEY);

    rebooted.post("/telemetry", "2", -1).response();
    stateThreadCaughtUp();

    assertThat(edge.sink.presence).containsExactly("connected:" + LEAF, "connected:" + LEAF);
  }

  @Test
  void aTakeoverVoidsTheObservationOfTheOlderSession() throws Exception {
    edge.leaf(LEAF).observe("/commands").response();
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));
    LeafClient rebooted = edge.client(LEAF, KEY);

    rebooted.post("/telemetry", "1", -1).response();
    stateThreadCaughtUp();

    assertThat(edge.sink.presence).containsExactly("connected:" + LEAF, "wanted:" + LEAF, "connected:" + LEAF,
        "unwanted:" + LEAF);
    assertThat(failure(edge.endpoint.deliver(LEAF, new byte[1])).reason()).isEqualTo(Reason.NOT_SUBSCRIBED);
  }

  private static LeafDeliveryException failure(CompletableFuture<Void> delivery) throws Exception {
    try {
      delivery.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (LeafDeliveryException) e.getCause();
    }
    throw new AssertionError("the delivery succeeded");
  }

  /** deliver() runs on the endpoint's state thread after everything posted before it. */
  private void stateThreadCaughtUp() throws Exception {
    try {
      edge.endpoint.deliver("nobody", new byte[1]).get();
    } catch (ExecutionException expected) {
      assertThat(expected.getCause()).isInstanceOf(LeafDeliveryException.class);
    }
  }
}
