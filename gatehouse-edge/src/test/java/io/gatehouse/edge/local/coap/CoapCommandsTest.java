package io.gatehouse.edge.local.coap;

import static io.gatehouse.edge.local.coap.EdgeUnderTest.LEAF;
import static io.gatehouse.edge.local.coap.EdgeUnderTest.OTHER_LEAF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.coap.LeafClient.Exchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /commands, observed or waiting, and deliver(), with a real Californium leaf over DTLS PSK. */
class CoapCommandsTest {
  private EdgeUnderTest edge = new EdgeUnderTest(c -> c.withCommandWait(Duration.ofSeconds(2)).withCommandQueue(2));

  @AfterEach
  void tearDown() {
    edge.close();
  }

  @Test
  void anObservingLeafGetsEachCommandAsAConfirmableNotificationAndItsAckCompletesTheDelivery() throws Exception {
    Exchange observe = edge.leaf(LEAF).observe("/commands");
    Response registered = observe.response();
    assertThat(registered.getCode()).isEqualTo(ResponseCode.CONTENT);
    assertThat(registered.getOptions().hasObserve()).isTrue();
    assertThat(registered.getPayloadSize()).isZero();
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));

    edge.endpoint.deliver(LEAF, bytes("open valve")).get(10, TimeUnit.SECONDS);
    Response first = observe.nextNotification();
    edge.endpoint.deliver(LEAF, bytes("close valve")).get(10, TimeUnit.SECONDS);
    Response second = observe.nextNotification();

    assertThat(first.getPayloadString()).isEqualTo("open valve");
    assertThat(first.getType()).isEqualTo(Type.CON);
    assertThat(second.getPayloadString()).isEqualTo("close valve");
    assertThat(second.getOptions().getObserve()).isGreaterThan(first.getOptions().getObserve());
    assertThat(edge.sink.presence).containsExactly("connected:" + LEAF, "wanted:" + LEAF);
  }

  @Test
  void commandsDeliveredWhileOneIsInFlightAreQueuedAndSentInOrder() throws Exception {
    Exchange observe = edge.leaf(LEAF).observe("/commands");
    observe.response();
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));

    CompletableFuture<Void> one = edge.endpoint.deliver(LEAF, bytes("1"));
    CompletableFuture<Void> two = edge.endpoint.deliver(LEAF, bytes("2"));
    CompletableFuture<Void> three = edge.endpoint.deliver(LEAF, bytes("3"));
    CompletableFuture.allOf(one, two, three).get(10, TimeUnit.SECONDS);

    assertThat(observe.nextNotification().getPayloadString()).isEqualTo("1");
    assertThat(observe.nextNotification().getPayloadString()).isEqualTo("2");
    assertThat(observe.nextNotification().getPayloadString()).isEqualTo("3");
  }

  @Test
  void aCancelledObservationMakesTheNextCommandFailOnTheLeafsResetAndEndsTheWish() throws Exception {
    Exchange observe = edge.leaf(LEAF).observe("/commands");
    observe.response();
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));
    observe.request.cancel(); // the client forgets the observation and answers the next notification with RST

    LeafDeliveryException failure = failure(edge.endpoint.deliver(LEAF, bytes("open valve")));

    assertThat(failure.reason()).isEqualTo(Reason.REFUSED_BY_LEAF);
    await().until(() -> edge.sink.presence.contains("unwanted:" + LEAF));
    assertThat(failure(edge.endpoint.deliver(LEAF, bytes("again"))).reason()).isEqualTo(Reason.NOT_SUBSCRIBED);
  }

  @Test
  void aNotificationTheLeafNeverAcknowledgesFailsAndEndsTheObservation() throws Exception {
    edge.close();
    edge = new EdgeUnderTest(c -> c.withRetransmission(Duration.ofMillis(200), 1));
    LeafClient leaf = edge.leaf(LEAF);
    leaf.observe("/commands").response();
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));
    leaf.close(); // gone without a word: no ACK, no RST, no close_notify

    LeafDeliveryException failure = failure(edge.endpoint.deliver(LEAF, bytes("open valve")));

    assertThat(failure.reason()).isEqualTo(Reason.NO_ACKNOWLEDGEMENT);
    await().until(() -> edge.sink.presence.contains("unwanted:" + LEAF));
  }

  @Test
  void aGetWithoutObserveWaitsForTheNextCommandWhichTheLeafAcknowledges() throws Exception {
    Exchange poll = edge.leaf(LEAF).get("/commands");
    poll.acknowledged.get(5, TimeUnit.SECONDS);
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));
    assertThat(poll.response).isNotDone();

    CompletableFuture<Void> delivered = edge.endpoint.deliver(LEAF, bytes("reboot"));
    Response response = poll.response();

    assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
    assertThat(response.getType()).isEqualTo(Type.CON);
    assertThat(response.getPayloadString()).isEqualTo("reboot");
    delivered.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWaitingGetWithoutCommandEndsEmptyAndTheLeafNoLongerAsks() throws Exception {
    Exchange poll = edge.leaf(LEAF).get("/commands");

    Response response = poll.response();

    assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
    assertThat(response.getPayloadSize()).isZero();
    await().until(() -> edge.sink.presence.contains("unwanted:" + LEAF));
    assertThat(edge.sink.presence).containsExactly("connected:" + LEAF, "wanted:" + LEAF, "unwanted:" + LEAF);
    assertThat(failure(edge.endpoint.deliver(LEAF, bytes("late"))).reason()).isEqualTo(Reason.NOT_SUBSCRIBED);
  }

  @Test
  void aPollingLeafStillAsksBetweenTwoGetsSoCommandsWaitForItsNextGet() throws Exception {
    LeafClient leaf = edge.leaf(LEAF);
    Exchange first = leaf.get("/commands");
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));
    edge.endpoint.deliver(LEAF, bytes("1"));
    assertThat(first.response().getPayloadString()).isEqualTo("1");

    CompletableFuture<Void> queued = edge.endpoint.deliver(LEAF, bytes("2"));
    Exchange second = leaf.get("/commands");

    assertThat(second.response().getPayloadString()).isEqualTo("2");
    queued.get(10, TimeUnit.SECONDS);
    assertThat(edge.sink.presence).containsExactly("connected:" + LEAF, "wanted:" + LEAF);
  }

  @Test
  void deliverToALeafThatIsNotConnectedOrDoesNotAskFailsAtOnce() throws Exception {
    assertThat(failure(edge.endpoint.deliver(LEAF, bytes("x"))).reason()).isEqualTo(Reason.NOT_CONNECTED);

    edge.leaf(OTHER_LEAF).post("/telemetry", "1", -1).response();

    assertThat(failure(edge.endpoint.deliver(OTHER_LEAF, bytes("x"))).reason()).isEqualTo(Reason.NOT_SUBSCRIBED);
  }

  @Test
  void aCommandLargerThanTheLimitIsRefused() throws Exception {
    Exchange observe = edge.leaf(LEAF).observe("/commands");
    observe.response();
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));

    byte[] tooLarge = new byte[CoapConfig.DEFAULT_MAX_PAYLOAD_BYTES + 1];
    LeafDeliveryException failure = failure(edge.endpoint.deliver(LEAF, tooLarge));

    assertThat(failure.reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void beyondTheQueueCommandsFailWithQueueFull() throws Exception {
    LeafClient leaf = edge.leaf(LEAF);
    Exchange first = leaf.get("/commands");
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));
    edge.endpoint.deliver(LEAF, bytes("sent")).get(10, TimeUnit.SECONDS);
    first.response();

    // Between two GETs the commands wait; the queue holds two.
    edge.endpoint.deliver(LEAF, bytes("q1"));
    edge.endpoint.deliver(LEAF, bytes("q2"));
    LeafDeliveryException failure = failure(edge.endpoint.deliver(LEAF, bytes("q3")));

    assertThat(failure.reason()).isEqualTo(Reason.QUEUE_FULL);
  }

  @Test
  void closingFailsPendingCommandsWithAdapterClosedAndReportsTheLeafGone() throws Exception {
    LeafClient leaf = edge.leaf(LEAF);
    Exchange first = leaf.get("/commands");
    await().until(() -> edge.sink.presence.contains("wanted:" + LEAF));
    edge.endpoint.deliver(LEAF, bytes("sent")).get(10, TimeUnit.SECONDS);
    first.response();
    CompletableFuture<Void> pending = edge.endpoint.deliver(LEAF, bytes("pending"));

    edge.endpoint.close();

    assertThat(failure(pending).reason()).isEqualTo(Reason.ADAPTER_CLOSED);
    assertThat(failure(edge.endpoint.deliver(LEAF, bytes("after"))).reason()).isEqualTo(Reason.ADAPTER_CLOSED);
    assertThat(edge.sink.presence).endsWith("unwanted:" + LEAF, "disconnected:" + LEAF);
  }

  private static LeafDeliveryException failure(CompletableFuture<Void> delivery) throws Exception {
    try {
      delivery.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(LeafDeliveryException.class);
      return (LeafDeliveryException) e.getCause();
    }
    throw new AssertionError("the delivery succeeded");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
