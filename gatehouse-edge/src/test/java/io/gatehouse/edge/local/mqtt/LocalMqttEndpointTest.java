package io.gatehouse.edge.local.mqtt;

import static io.gatehouse.edge.local.mqtt.HiveMqClients.bytes;
import static io.gatehouse.edge.local.mqtt.HiveMqClients.connected;
import static io.gatehouse.edge.local.mqtt.HiveMqClients.disconnectQuietly;
import static io.gatehouse.edge.local.mqtt.HiveMqClients.failure;
import static io.gatehouse.edge.local.mqtt.HiveMqClients.publishError;
import static io.gatehouse.edge.local.mqtt.TestEndpoint.LEAF;
import static io.gatehouse.edge.local.mqtt.TestEndpoint.OTHER_LEAF;
import static io.gatehouse.edge.local.mqtt.TestEndpoint.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.RecordingLeafSink;
import io.gatehouse.edge.local.mqtt.HiveMqClients.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MQTT 5 behaviour of the endpoint, seen from a real client (HiveMQ) over loopback. */
class LocalMqttEndpointTest {
  private final TestEndpoint edge = new TestEndpoint(c -> c.withAckTimeout(Duration.ofSeconds(5)));
  private final List<Client> clients = new ArrayList<>();

  @AfterEach
  void tearDown() {
    clients.forEach(HiveMqClients::disconnectQuietly);
    edge.close();
  }

  @Test
  void pubAckWaitsUntilTheSinkHoldsTheMessage() throws Exception {
    edge.sink.holdAcceptance();
    Client leaf = connect(LEAF);

    CompletableFuture<Mqtt5PublishResult> publish = leaf.mqtt().publishWith().topic("leaves/leaf-1/telemetry")
        .qos(MqttQos.AT_LEAST_ONCE).payload(bytes("{\"t\":1}")).contentType("application/json")
        .userProperties().add("unit", "C").applyUserProperties().send();
    CompletableFuture<Void> durable = edge.sink.nextHeld();

    assertThat(publish).isNotDone();
    durable.complete(null);
    assertThat(publishError(publish)).isEmpty();
    assertThat(edge.sink.accepted).singleElement().satisfies(m -> {
      assertThat(m.leafId()).isEqualTo(LEAF);
      assertThat(m.text()).isEqualTo("{\"t\":1}");
      assertThat(m.properties()).containsEntry("unit", "C").containsEntry("content-type", "application/json");
    });
  }

  @Test
  void pubAcksFollowArrivalOrderWhenTheSinkCompletesOutOfOrder() throws Exception {
    edge.sink.holdAcceptance();
    Client leaf = connect(LEAF);
    CompletableFuture<Mqtt5PublishResult> first = publish(leaf, "leaves/leaf-1/telemetry", MqttQos.AT_LEAST_ONCE);
    CompletableFuture<Void> firstDurable = edge.sink.nextHeld();
    CompletableFuture<Mqtt5PublishResult> second = publish(leaf, "leaves/leaf-1/telemetry", MqttQos.AT_LEAST_ONCE);
    CompletableFuture<Void> secondDurable = edge.sink.nextHeld();

    secondDurable.complete(null);
    assertThat(first).isNotDone();
    firstDurable.complete(null);
    assertThat(publishError(first)).isEmpty();
    assertThat(publishError(second)).isEmpty();
  }

  @Test
  void aFailingSinkGetsANegativePubAck() throws Exception {
    edge.sink.holdAcceptance();
    Client leaf = connect(LEAF);
    CompletableFuture<Mqtt5PublishResult> publish = publish(leaf, "leaves/leaf-1/telemetry", MqttQos.AT_LEAST_ONCE);
    edge.sink.nextHeld().completeExceptionally(new LimitExceededException("buffer full"));

    assertThat(publishError(publish)).get().isInstanceOfSatisfying(Mqtt5PubAckException.class, e ->
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED));
  }

  @Test
  void foreignTopicGetsPubAck0x87AndNothingReachesTheSink() throws Exception {
    Client leaf = connect(LEAF);

    CompletableFuture<Mqtt5PublishResult> publish = publish(leaf, "leaves/leaf-2/telemetry", MqttQos.AT_LEAST_ONCE);

    assertThat(publishError(publish)).get().isInstanceOfSatisfying(Mqtt5PubAckException.class, e ->
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    assertThat(edge.sink.accepted).isEmpty();
    assertThat(publishError(publish(leaf, "leaves/leaf-1/telemetry", MqttQos.AT_LEAST_ONCE))).isEmpty();
  }

  @Test
  void qos2IsRefusedWithDisconnect0x9B() throws Exception {
    Client leaf = connect(LEAF);

    publish(leaf, "leaves/leaf-1/telemetry", MqttQos.EXACTLY_ONCE);

    assertThat(leaf.disconnects().poll(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(Mqtt5DisconnectException.class,
        e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.QOS_NOT_SUPPORTED));
    assertThat(edge.sink.accepted).isEmpty();
  }

  @Test
  void wrongPasswordIsRefusedAndReported() throws Exception {
    Client leaf = HiveMqClients.client(LEAF, edge.port());
    clients.add(leaf);

    Throwable refused = failure(leaf.mqtt().connectWith().simpleAuth().username(LEAF).password(bytes("guess"))
        .applySimpleAuth().send());

    assertThat(refused).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e ->
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    assertThat(edge.sink.refusals).singleElement().satisfies(r -> {
      assertThat(r.clientId()).isEqualTo(LEAF);
      assertThat(r.reason()).isEqualTo("wrong password");
      assertThat(r.from().getAddress().isLoopbackAddress()).isTrue();
    });
    assertThat(edge.sink.presence).isEmpty();
  }

  @Test
  void usernameMustBeTheClientId() throws Exception {
    Client leaf = HiveMqClients.client(LEAF, edge.port());
    clients.add(leaf);

    Throwable refused = failure(leaf.mqtt().connectWith().simpleAuth().username(OTHER_LEAF)
        .password(bytes("pw-leaf-2")).applySimpleAuth().send());

    assertThat(refused).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e ->
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    assertThat(edge.sink.refusals).singleElement().extracting(RecordingLeafSink.Refusal::reason)
        .isEqualTo("username differs from the client id");
  }

  @Test
  void deliverReachesTheSubscribedLeafAndCompletesOnItsPubAck() throws Exception {
    Client leaf = connect(LEAF);
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    Mqtt5SubAck subAck = leaf.mqtt().subscribeWith().topicFilter("leaves/leaf-1/commands").qos(MqttQos.AT_LEAST_ONCE)
        .callback(received::add).manualAcknowledgement(true).send().get(5, TimeUnit.SECONDS);
    assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);

    CompletableFuture<Void> delivered = edge.endpoint.deliver(LEAF, bytes("{\"open\":true}"));
    Mqtt5Publish command = received.poll(5, TimeUnit.SECONDS);

    assertThat(command).isNotNull();
    assertThat(command.getTopic().toString()).isEqualTo("leaves/leaf-1/commands");
    assertThat(command.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
    assertThat(command.getPayloadAsBytes()).isEqualTo(bytes("{\"open\":true}"));
    assertThat(delivered).isNotDone();
    command.acknowledge();
    delivered.get(5, TimeUnit.SECONDS);
  }

  @Test
  void deliverFailsForALeafThatIsNotConnectedOrNotSubscribed() throws Exception {
    assertThat(failure(edge.endpoint.deliver(LEAF, bytes("x")))).isInstanceOfSatisfying(LeafDeliveryException.class,
        e -> {
          assertThat(e.reason()).isEqualTo(Reason.NOT_CONNECTED);
          assertThat(e.leafId()).isEqualTo(LEAF);
          assertThat(e.getMessage()).contains("not connected");
        });

    connect(LEAF);
    assertThat(failure(edge.endpoint.deliver(LEAF, bytes("x")))).isInstanceOfSatisfying(LeafDeliveryException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_SUBSCRIBED));
  }

  @Test
  void foreignSubscriptionIsRefusedWith0x87() throws Exception {
    Client leaf = connect(LEAF);

    Throwable refused = failure(leaf.mqtt().subscribeWith().topicFilter("leaves/leaf-2/commands")
        .qos(MqttQos.AT_LEAST_ONCE).callback(p -> { }).send());

    assertThat(refused).isInstanceOfSatisfying(Mqtt5SubAckException.class, e ->
        assertThat(e.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
    assertThat(failure(edge.endpoint.deliver(LEAF, bytes("x")))).isInstanceOfSatisfying(LeafDeliveryException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_SUBSCRIBED));
  }

  @Test
  void aSecondConnectionWithTheSameIdTakesOver() throws Exception {
    Client first = connect(LEAF);
    Client second = connect(LEAF);

    assertThat(first.disconnects().poll(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(Mqtt5DisconnectException.class,
        e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER));
    assertThat(second.mqtt().getState().isConnected()).isTrue();
    assertThat(publishError(publish(second, "leaves/leaf-1/telemetry", MqttQos.AT_LEAST_ONCE))).isEmpty();
    assertThat(edge.endpoint.connectedLeaves()).isEqualTo(1);
    assertThat(edge.sink.presence).containsExactly("connected:leaf-1", "connected:leaf-1");

    disconnectQuietly(second);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(edge.sink.presence).containsExactly("connected:leaf-1", "connected:leaf-1", "disconnected:leaf-1"));
  }

  private Client connect(String leafId) throws Exception {
    Client client = connected(leafId, leafId.equals(LEAF) ? PASSWORD : "pw-leaf-2", edge.port());
    clients.add(client);
    return client;
  }

  private static CompletableFuture<Mqtt5PublishResult> publish(Client client, String topic, MqttQos qos) {
    return client.mqtt().publishWith().topic(topic).qos(qos).payload(bytes("{\"t\":1}")).send();
  }
}
