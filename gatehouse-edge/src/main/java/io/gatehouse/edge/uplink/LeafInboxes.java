package io.gatehouse.edge.uplink;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.gatehouse.core.sas.PercentCodec;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaves whose inboxes the edge pulls over its uplink: one subscription to
 * {@code devices/{leaf}/messages/devicebound/#} per leaf that asks for its commands, renewed after
 * every reconnect (each connection starts a clean session). Messages are acknowledged manually,
 * once the leaf settled them, and the PUBACK's reason code carries the {@link InboxVerdict}, so the
 * service gateway completes, abandons or rejects each one: the edge keeps no copy of its own.
 */
final class LeafInboxes {
  private static final Logger LOG = LoggerFactory.getLogger(LeafInboxes.class);
  private static final String PREFIX = "devices/";
  private static final String INFIX = "/messages/devicebound/";

  private final InboxReceiver receiver;
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  /** Verdicts decided but not yet written into their PUBACK, by message identity. */
  private final Map<Mqtt5Publish, InboxVerdict> verdicts = Collections.synchronizedMap(new IdentityHashMap<>());
  private volatile Mqtt5AsyncClient client;

  LeafInboxes(InboxReceiver receiver) {
    this.receiver = receiver;
  }

  /** Set once, right after the client is built (the client's interceptor needs this object first). */
  void attach(Mqtt5AsyncClient mqttClient) {
    this.client = mqttClient;
  }

  void want(String leafId) {
    if (wanted.add(leafId) && client.getState().isConnected()) {
      subscribe(leafId);
    }
  }

  void drop(String leafId) {
    if (wanted.remove(leafId) && client.getState().isConnected()) {
      client.unsubscribeWith().topicFilter(filter(leafId)).send().whenComplete((ack, failure) -> {
        if (failure != null) {
          LOG.debug("uplink unsubscribe from leaf inbox failed leaf={}: {}", leafId, failure.toString());
        }
      });
    }
  }

  Set<String> wanted() {
    return Set.copyOf(wanted);
  }

  /**
   * After a (re)connect: the session is new, so every subscription is made again, and verdicts left
   * from the last connection are dropped (their PUBACKs can no longer be sent; the gateway abandoned
   * those messages when the connection ended), which keeps the map within one connection's window.
   */
  void newSession() {
    verdicts.clear();
    wanted.forEach(this::subscribe);
  }

  /** The client's incoming-QoS-1 interceptor: writes the verdict into the PUBACK being sent. */
  void writeVerdict(Mqtt5ClientConfig config, Mqtt5Publish publish, Mqtt5PubAckBuilder pubAck) {
    InboxVerdict verdict = verdicts.remove(publish);
    if (verdict == InboxVerdict.RETRY_LATER) {
      pubAck.reasonCode(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR).reasonString("the leaf cannot take it now");
    } else if (verdict == InboxVerdict.REFUSED) {
      pubAck.reasonCode(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR).reasonString("the leaf refused it");
    }
  }

  private void subscribe(String leafId) {
    client.subscribeWith().topicFilter(filter(leafId)).qos(MqttQos.AT_LEAST_ONCE)
        .callback(this::onMessage).manualAcknowledgement(true).send()
        .whenComplete((ack, failure) -> {
          if (failure != null) {
            LOG.warn("uplink subscription to leaf inbox failed leaf={}: {}", leafId, failure.getMessage());
          } else if (ack.getReasonCodes().stream().anyMatch(code -> code.isError())) {
            LOG.warn("uplink subscription to leaf inbox refused leaf={} codes={}", leafId, ack.getReasonCodes());
          }
        });
  }

  private void onMessage(Mqtt5Publish publish) {
    String topic = publish.getTopic().toString();
    String leafId = leafOf(topic);
    CompletableFuture<InboxVerdict> settled;
    if (leafId == null || !wanted.contains(leafId)) {
      settled = CompletableFuture.completedFuture(InboxVerdict.RETRY_LATER);
    } else {
      try {
        settled = receiver.received(leafId, publish.getPayloadAsBytes(), properties(topic));
      } catch (RuntimeException e) {
        settled = CompletableFuture.failedFuture(e);
      }
    }
    settled.handle((verdict, failure) -> verdict != null ? verdict : InboxVerdict.RETRY_LATER).thenAccept(verdict -> {
      verdicts.put(publish, verdict);
      publish.acknowledge();
    });
  }

  static String filter(String leafId) {
    return PREFIX + leafId + INFIX + "#";
  }

  /** The leaf a devicebound topic names, or null for any other topic. */
  static String leafOf(String topic) {
    int infix = topic.indexOf(INFIX);
    if (!topic.startsWith(PREFIX) || infix <= PREFIX.length()) {
      return null;
    }
    String leaf = topic.substring(PREFIX.length(), infix);
    return leaf.indexOf('/') >= 0 ? null : leaf;
  }

  /** The percent-decoded property bag after {@code /messages/devicebound/}. */
  static Map<String, String> properties(String topic) {
    int infix = topic.indexOf(INFIX);
    String bag = infix < 0 ? "" : topic.substring(infix + INFIX.length());
    Map<String, String> properties = new LinkedHashMap<>();
    for (String pair : bag.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = PercentCodec.decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : PercentCodec.decode(pair.substring(eq + 1));
      properties.put(key, value);
    }
    return properties;
  }
}
