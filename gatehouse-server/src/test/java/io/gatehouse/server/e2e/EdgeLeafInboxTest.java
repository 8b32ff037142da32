package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.gatehouse.core.sas.SasSigner;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cloud-to-device messages for leaves over their field gateway's uplink: a real MQTT 5 client
 * connects as the edge, subscribes to its leaves' devicebound topics, and receives each leaf's
 * messages on that leaf's topic; its PUBACK settles the message (0x80: "not now", abandoned; other
 * error codes: rejected). Messages are sent through the service API, as a back end does.
 */
class EdgeLeafInboxTest {
  private static final Duration TIMEOUT = Mqtt5Devices.TIMEOUT;

  @RegisterExtension static final GatewayFixture gw = GatewayFixture.perTestClass();
  @RegisterExtension final Mqtt5Devices devices = new Mqtt5Devices(gw);

  @Test
  void anEdgeReceivesEachLeafsMessagesOnThatLeafsTopicAndItsPubAckCompletesThem() throws Exception {
    byte[] edgeKey = devices.create("edge-a", "{\"kind\":\"edge\"}");
    byte[] key1 = devices.create("a-1", "{\"parentId\":\"edge-a\"}");
    byte[] key2 = devices.create("a-2", "{\"parentId\":\"edge-a\"}");
    send("a-1", "for-a-1");
    send("a-2", "for-a-2");
    Mqtt5AsyncClient edge = devices.connect("edge-a", edgeKey);
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();

    assertThat(subscribe(edge, received, "a-1", "a-2"))
        .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.GRANTED_QOS_1);

    Map<String, String> byTopic = new ConcurrentHashMap<>();
    for (int i = 0; i < 2; i++) {
      Mqtt5Publish publish = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(publish).as("delivery %d", i).isNotNull();
      assertThat(publish.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      String topic = publish.getTopic().toString();
      byTopic.put(topic.substring(0, topic.indexOf("/messages/devicebound/")), text(publish));
    }
    assertThat(byTopic).containsOnly(Map.entry("devices/a-1", "for-a-1"), Map.entry("devices/a-2", "for-a-2"));
    // The client's PUBACK completed both: the sender hears Success, the leaves' inboxes are empty.
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(feedback("for-a-1")).isEqualTo("Success");
      assertThat(feedback("for-a-2")).isEqualTo("Success");
    });
    assertThat(pullAsLeaf("a-1", key1).statusCode()).isEqualTo(204);
    assertThat(pullAsLeaf("a-2", key2).statusCode()).isEqualTo(204);
  }

  @Test
  void aMessageSentWhileSubscribedWakesTheEdgeAtOnceNotAtTheIdlePoll() throws Exception {
    byte[] edgeKey = devices.create("edge-w", "{\"kind\":\"edge\"}");
    devices.create("w-1", "{\"parentId\":\"edge-w\"}");
    Mqtt5AsyncClient edge = devices.connect("edge-w", edgeKey);
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    subscribe(edge, received, "w-1");

    send("w-1", "wake up");

    // The idle poll comes every 30 s; the wake-up that names this leaf brings it within moments.
    Mqtt5Publish publish = received.poll(2, TimeUnit.SECONDS);
    assertThat(publish).isNotNull();
    assertThat(publish.getTopic().toString()).startsWith("devices/w-1/messages/devicebound/");
    assertThat(text(publish)).isEqualTo("wake up");
  }

  @Test
  void aBusyLeafDoesNotHoldUpItsSibling() throws Exception {
    byte[] edgeKey = devices.create("edge-r", "{\"kind\":\"edge\"}");
    devices.create("r-busy", "{\"parentId\":\"edge-r\"}");
    devices.create("r-quiet", "{\"parentId\":\"edge-r\"}");
    for (int i = 0; i < 10; i++) {
      send("r-busy", "busy-" + i);
    }
    send("r-quiet", "quiet");
    Mqtt5AsyncClient edge = devices.connect("edge-r", edgeKey);
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();

    subscribe(edge, received, "r-busy", "r-quiet");

    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      Mqtt5Publish publish = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(publish).as("delivery %d", i).isNotNull();
      payloads.add(text(publish));
    }
    // Inboxes take turns: the quiet leaf's one message comes second, not after the busy leaf's ten.
    assertThat(payloads.subList(0, 2)).containsExactly("busy-0", "quiet");
    assertThat(payloads.subList(2, 11)).containsExactly("busy-1", "busy-2", "busy-3", "busy-4", "busy-5", "busy-6",
        "busy-7", "busy-8", "busy-9");
  }

  @Test
  void subscribingToAnotherEdgesLeafAnUnknownOrAnUnparentedDeviceIsRefusedAndAudited() throws Exception {
    byte[] edgeKey = devices.create("edge-b", "{\"kind\":\"edge\"}");
    devices.create("edge-c", "{\"kind\":\"edge\"}");
    devices.create("b-own", "{\"parentId\":\"edge-b\"}");
    devices.create("c-leaf", "{\"parentId\":\"edge-c\"}");
    devices.create("loner", "{}");
    Mqtt5AsyncClient edge = devices.connect("edge-b", edgeKey);
    long auditHead = devices.auditHead();

    assertThat(subscribe(edge, new LinkedBlockingQueue<>(), "c-leaf", "ghost", "loner", "b-own")).containsExactly(
        Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
        Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1);

    devices.assertAudited(auditHead, "mqtt.subscribe", "denied", "leaf device 'c-leaf' is not a child of edge 'edge-b'");
    devices.assertAudited(auditHead, "mqtt.subscribe", "denied", "'ghost' is not a registered leaf device");
    devices.assertAudited(auditHead, "mqtt.subscribe", "denied", "'loner' is not a registered leaf device");
    assertThat(edge.getState().isConnected()).isTrue();
  }

  @Test
  void aPlainDeviceStillReceivesOnlyItsOwnInbox() throws Exception {
    byte[] key = devices.create("plain-p", "{}");
    devices.create("edge-p", "{\"kind\":\"edge\"}");
    devices.create("p-leaf", "{\"parentId\":\"edge-p\"}");
    Mqtt5AsyncClient device = devices.connect("plain-p", key);
    long auditHead = devices.auditHead();

    assertThat(subscribe(device, new LinkedBlockingQueue<>(), "p-leaf", "plain-p"))
        .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1);

    devices.assertAudited(auditHead, "mqtt.subscribe", "denied",
        "only a field gateway (kind edge) receives for other devices");
  }

  @Test
  void aLeafDisabledWhileSubscribedGetsNothingMoreWhileItsSiblingDoes() throws Exception {
    byte[] edgeKey = devices.create("edge-d", "{\"kind\":\"edge\"}");
    devices.create("d-1", "{\"parentId\":\"edge-d\"}");
    devices.create("d-2", "{\"parentId\":\"edge-d\"}");
    Mqtt5AsyncClient edge = devices.connect("edge-d", edgeKey);
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    subscribe(edge, received, "d-1", "d-2");
    send("d-1", "before");
    assertThat(text(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("before");

    assertThat(gw.asOperator("POST", "/devices/d-1/disable", "{\"reason\":\"tampered\"}").statusCode())
        .isEqualTo(200);
    send("d-1", "while disabled");
    send("d-2", "sibling");

    // The sibling's message comes; the disabled leaf's wake-up came first and found it refused.
    Mqtt5Publish next = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(next).isNotNull();
    assertThat(next.getTopic().toString()).startsWith("devices/d-2/");
    assertThat(text(next)).isEqualTo("sibling");
    // Its subscription was dropped: enabled again, it gets nothing until the edge subscribes anew.
    assertThat(gw.asOperator("POST", "/devices/d-1/enable", null).statusCode()).isEqualTo(200);
    send("d-1", "after enable");
    send("d-2", "sibling again");
    assertThat(text(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("sibling again");
    assertThat(received).isEmpty();
    edge.unsubscribeWith().topicFilter(filter("d-1")).send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    subscribe(edge, received, "d-1");
    assertThat(text(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("while disabled");
    assertThat(text(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("after enable");
  }

  @Test
  void pubAck0x80AbandonsAndPausesThatLeafUntilItIsSubscribedAgain() throws Exception {
    byte[] edgeKey = devices.create("edge-n", "{\"kind\":\"edge\"}");
    byte[] leafKey = devices.create("n-gone", "{\"parentId\":\"edge-n\"}");
    devices.create("n-here", "{\"parentId\":\"edge-n\"}");
    Map<String, Mqtt5PubAckReasonCode> answers = Map.of(
        "n-gone", Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR, "n-here", Mqtt5PubAckReasonCode.SUCCESS);
    BlockingQueue<String> answered = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient edge = devices.connect("edge-n", edgeKey, (config, publish, ack) -> {
      ack.reasonCode(answers.get(leafOf(publish)));
      answered.add(text(publish));
    });
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    subscribe(edge, received, "n-gone", "n-here");

    send("n-gone", "hold on");
    assertThat(text(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("hold on");
    assertThat(answered.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hold on"); // PUBACK 0x80 on its way

    // Answered "not now": not redelivered on this subscription, even when the leaf's inbox changes,
    // while its sibling is served as usual.
    send("n-gone", "second");
    send("n-here", "sibling");
    assertThat(text(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("sibling");
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(received::isEmpty);

    // Subscribing again renews it: the abandoned message comes again, answered "not now" again.
    edge.unsubscribeWith().topicFilter(filter("n-gone")).send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    subscribe(edge, received, "n-gone");
    assertThat(text(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("hold on");
    edge.disconnect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    // Still in the leaf's inbox, each lock counted: two deliveries over MQTT, then this one. No
    // more: a pull under way when the edge answered "not now" reaches the store before that abandon
    // does, so it cannot lock the message the edge just gave back.
    HttpResponse<String> pulled = await().atMost(TIMEOUT).until(() -> pullAsLeaf("n-gone", leafKey),
        r -> r.statusCode() == 200 && r.body().equals("hold on"));
    assertThat(pulled.headers().firstValue("iothub-deliverycount")).contains("3");
    assertThat(feedback("hold on")).isNull();
  }

  @Test
  void aPubAckWithAnotherErrorCodeRejectsTheMessage() throws Exception {
    byte[] edgeKey = devices.create("edge-x", "{\"kind\":\"edge\"}");
    byte[] leafKey = devices.create("x-1", "{\"parentId\":\"edge-x\"}");
    Mqtt5AsyncClient edge = devices.connect("edge-x", edgeKey,
        (config, publish, ack) -> ack.reasonCode(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR));
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    subscribe(edge, received, "x-1");

    send("x-1", "refuse me");
    assertThat(text(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("refuse me");

    // 0x83: dead-lettered, the sender hears "Rejected", the leaf's inbox is empty.
    await().atMost(TIMEOUT).until(() -> "Rejected".equals(feedback("refuse me")));
    assertThat(pullAsLeaf("x-1", leafKey).statusCode()).isEqualTo(204);
  }

  /** Subscribes to the leaves' devicebound filters, deliveries into {@code received}; returns the SUBACK codes. */
  private static List<Mqtt5SubAckReasonCode> subscribe(Mqtt5AsyncClient client, BlockingQueue<Mqtt5Publish> received,
      String... leaves) throws Exception {
    Mqtt5Subscribe subscribe = Mqtt5Subscribe.builder().addSubscriptions(Arrays.stream(leaves)
        .map(leaf -> Mqtt5Subscription.builder().topicFilter(filter(leaf)).qos(MqttQos.AT_LEAST_ONCE).build()))
        .build();
    Mqtt5SubAck ack;
    try {
      ack = client.subscribe(subscribe, received::add).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      ack = ((Mqtt5SubAckException) e.getCause()).getMqttMessage();
    }
    return ack.getReasonCodes();
  }

  private static String filter(String deviceId) {
    return "devices/" + deviceId + "/messages/devicebound/#";
  }

  private static String leafOf(Mqtt5Publish publish) {
    return publish.getTopic().getLevels().get(1);
  }

  private static String text(Mqtt5Publish publish) {
    assertThat(publish).as("a delivery within the timeout").isNotNull();
    return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  /** Sends through the service API as the operator; the message id is the payload, for feedback lookups. */
  private static void send(String deviceId, String payload) throws Exception {
    String body = new ObjectMapper().createObjectNode().put("payload", payload).put("messageId", payload)
        .put("ack", "full").toString();
    HttpResponse<String> sent = gw.asOperator("POST", "/devices/" + deviceId + "/messages/devicebound", body);
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
  }

  /** The leaf itself pulls its inbox over the HTTPS device API (locking the message it gets). */
  private static HttpResponse<String> pullAsLeaf(String leafId, byte[] key) throws Exception {
    String token = SasSigner.token(GatewayFixture.HOST + "/devices/" + leafId, key, Instant.now().plusSeconds(600),
        null);
    return gw.send("GET", "/devices/" + leafId + "/messages/deviceBound", null, token);
  }

  /** The feedback status on the operator's message {@code messageId}, or null if there is none yet. */
  private static String feedback(String messageId) throws Exception {
    JsonNode items = Json.of(gw.asOperator("GET", "/messages/feedback?limit=1000", null)).path("items");
    for (JsonNode item : items) {
      if (item.path("originalMessageId").asText().equals(messageId)) {
        return item.path("statusCode").asText();
      }
    }
    return null;
  }
}
