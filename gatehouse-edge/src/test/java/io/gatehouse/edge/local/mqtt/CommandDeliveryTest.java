package io.gatehouse.edge.local.mqtt;

import static io.gatehouse.edge.local.mqtt.HiveMqClients.bytes;
import static io.gatehouse.edge.local.mqtt.HiveMqClients.failure;
import static io.gatehouse.edge.local.mqtt.TestEndpoint.LEAF;
import static io.gatehouse.edge.local.mqtt.TestEndpoint.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.mqtt.HiveMqClients.Client;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Edge → leaf commands: window, queue, timeout, QoS 0 subscriptions, lost connections. */
class CommandDeliveryTest {
  /** Long enough that no PUBACK a test waits for times out on a loaded machine. */
  private static final Duration PATIENT = Duration.ofSeconds(30);
  private TestEndpoint edge = endpoint(PATIENT);
  private final BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
  private Client leaf;

  @AfterEach
  void tearDown() {
    if (leaf != null) {
      HiveMqClients.disconnectQuietly(leaf);
    }
    edge.close();
  }

  @Test
  void oneInFlightOneQueuedAndTheNextIsRefusedAsQueueFull() throws Exception {
    subscribe(MqttQos.AT_LEAST_ONCE);

    CompletableFuture<Void> first = edge.endpoint.deliver(LEAF, bytes("1"));
    CompletableFuture<Void> second = edge.endpoint.deliver(LEAF, bytes("2"));
    Throwable third = failure(edge.endpoint.deliver(LEAF, bytes("3")));

    assertThat(third).isInstanceOfSatisfying(LeafDeliveryException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.QUEUE_FULL));
    Mqtt5Publish one = next();
    assertThat(one.getPayloadAsBytes()).isEqualTo(bytes("1"));
    assertThat(second).isNotDone();
    one.acknowledge();
    first.get(5, TimeUnit.SECONDS);
    Mqtt5Publish two = next();
    assertThat(two.getPayloadAsBytes()).isEqualTo(bytes("2"));
    two.acknowledge();
    second.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aCommandWithoutPubAckFailsAfterTheTimeout() throws Exception {
    edge.close();
    edge = endpoint(Duration.ofMillis(500));
    subscribe(MqttQos.AT_LEAST_ONCE);

    CompletableFuture<Void> delivered = edge.endpoint.deliver(LEAF, bytes("1"));
    assertThat(next()).isNotNull(); // received, never acknowledged

    assertThat(failure(delivered)).isInstanceOfSatisfying(LeafDeliveryException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.NO_ACKNOWLEDGEMENT));
  }

  @Test
  void aQos0SubscriberGetsCommandsAtQos0() throws Exception {
    subscribe(MqttQos.AT_MOST_ONCE);

    CompletableFuture<Void> delivered = edge.endpoint.deliver(LEAF, bytes("fire-and-forget"));

    delivered.get(5, TimeUnit.SECONDS);
    Mqtt5Publish command = next();
    assertThat(command.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
    assertThat(command.getPayloadAsBytes()).isEqualTo(bytes("fire-and-forget"));
  }

  @Test
  void unacknowledgedAndQueuedCommandsFailWhenTheConnectionEnds() throws Exception {
    subscribe(MqttQos.AT_LEAST_ONCE);
    CompletableFuture<Void> inFlight = edge.endpoint.deliver(LEAF, bytes("1"));
    CompletableFuture<Void> queued = edge.endpoint.deliver(LEAF, bytes("2"));
    assertThat(next()).isNotNull();

    leaf.mqtt().disconnect().get(5, TimeUnit.SECONDS);

    assertThat(failure(inFlight)).isInstanceOfSatisfying(LeafDeliveryException.class,
        e -> assertThat(e.reason()).as("in flight: %s", e.getMessage()).isEqualTo(Reason.CONNECTION_LOST));
    assertThat(failure(queued)).isInstanceOfSatisfying(LeafDeliveryException.class,
        e -> assertThat(e.reason()).as("queued: %s", e.getMessage()).isEqualTo(Reason.CONNECTION_LOST));
  }

  /** One command in flight at a time, one queued behind it. */
  private static TestEndpoint endpoint(Duration ackTimeout) {
    return new TestEndpoint(c -> c.withWindows(16, 1, 1).withAckTimeout(ackTimeout));
  }

  private void subscribe(MqttQos qos) throws Exception {
    leaf = HiveMqClients.connected(LEAF, PASSWORD, edge.port());
    leaf.mqtt().subscribeWith().topicFilter("leaves/" + LEAF + "/commands").qos(qos).callback(received::add)
        .manualAcknowledgement(true).send().get(5, TimeUnit.SECONDS);
  }

  private Mqtt5Publish next() throws InterruptedException {
    Mqtt5Publish publish = received.poll(5, TimeUnit.SECONDS);
    assertThat(publish).as("a command reached the leaf within 5 s").isNotNull();
    return publish;
  }
}
