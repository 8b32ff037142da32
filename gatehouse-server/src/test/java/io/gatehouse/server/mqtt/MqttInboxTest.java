package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.sas.PercentCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cloud-to-device: the inbox delivered on Azure's topic, completed by PUBACK, redelivered if lost. */
class MqttInboxTest {
  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static Map<String, String> keys = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    bed = new MqttTestBed(directory);
    for (String id : new String[] {"box-1", "box-2", "box-3", "box-4", "box-5"}) {
      keys.put(id, bed.registerDevice(id));
    }
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void waitingMessageIsDeliveredOnAzuresTopicAndCompletedByPuback() throws Exception {
    Map<String, String> application = new LinkedHashMap<>();
    application.put("k 1", "a b+c/d");
    application.put("bare", null);
    application.put("empty", "");
    bed.sendToInbox("box-1", new MessageProperties("msg 1", "corr-1", null, "application/json", "utf-8",
        application), "{\"on\":true}");
    try (TestDevice device = TestDevice.v5(bed, "box-1")) {
      device.connect(token("box-1"));
      BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
      device.v5.subscribeWith().topicFilter("devices/box-1/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE)
          .callback(received::add).send().get(10, TimeUnit.SECONDS);
      Mqtt5Publish publish = received.poll(10, TimeUnit.SECONDS);
      assertThat(publish).isNotNull();
      String topic = publish.getTopic().toString();
      assertThat(topic).startsWith("devices/box-1/messages/devicebound/%24.mid=msg%201&");
      assertThat(topic).contains("&%24.to=%2Fdevices%2Fbox-1%2Fmessages%2FdeviceBound&")
          .contains("%24.cid=corr-1").contains("%24.ct=application%2Fjson").contains("%24.ce=utf-8");
      Map<String, String> properties = bag(topic);
      assertThat(properties).containsEntry("k 1", "a b+c/d").containsEntry("bare", null).containsEntry("empty", "")
          .containsEntry("iothub-ack", "full");
      assertThat(publish.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"on\":true}");
      await().until(() -> bed.inboxDepth("box-1") == 0); // the client's PUBACK completed it
    }
  }

  @Test
  void messageSentWhileSubscribedArrivesAndManyFlowThroughTheWindow() throws Exception {
    try (TestDevice device = TestDevice.v3(bed, "box-2")) {
      device.connect(token("box-2"));
      BlockingQueue<Mqtt3Publish> received = new LinkedBlockingQueue<>();
      device.v3.subscribeWith().topicFilter("devices/box-2/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE)
          .callback(received::add).send().get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 40; i++) {
        bed.sendToInbox("box-2", new MessageProperties("m" + i, null, null, null, null, Map.of()), "n" + i);
      }
      for (int i = 0; i < 40; i++) {
        Mqtt3Publish publish = received.poll(10, TimeUnit.SECONDS);
        assertThat(publish).as("message %d", i).isNotNull();
        assertThat(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("n" + i);
      }
      await().until(() -> bed.inboxDepth("box-2") == 0);
    }
  }

  @Test
  void aMessageSentToASubscribedDeviceIsLockedAsItIsStoredSoADeliveryCostsTwoWrites() throws Exception {
    try (TestDevice device = TestDevice.v3(bed, "box-5")) {
      device.connect(token("box-5"));
      BlockingQueue<Mqtt3Publish> received = new LinkedBlockingQueue<>();
      device.v3.subscribeWith().topicFilter("devices/box-5/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE)
          .callback(received::add).send().get(10, TimeUnit.SECONDS);
      bed.sendToInbox("box-5", MessageProperties.NONE, "first");
      assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
      await().until(() -> bed.inboxDepth("box-5") == 0);

      long tasks = bed.store().writerStats().tasksCommitted();
      bed.sendToInbox("box-5", MessageProperties.NONE, "second");
      assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
      await().until(() -> bed.inboxDepth("box-5") == 0);
      // The send (message, its lock for this connection and the audit line, together) and the
      // completion: no pull locks it, and no empty pull follows.
      assertThat(bed.store().writerStats().tasksCommitted() - tasks).isEqualTo(2);
    }
  }

  @Test
  void messageNotAcknowledgedBeforeDisconnectIsRedeliveredWithAHigherDeliveryCount() throws Exception {
    bed.sendToInbox("box-3", MessageProperties.NONE, "again");
    for (int attempt = 1; attempt <= 2; attempt++) {
      try (TestDevice device = TestDevice.v5(bed, "box-3")) {
        device.connect(token("box-3"));
        BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
        device.v5.publishes(MqttGlobalPublishFilter.SUBSCRIBED, received::add, true); // manual PUBACK, never sent
        device.v5.subscribeWith().topicFilter("devices/box-3/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE)
            .send().get(10, TimeUnit.SECONDS);
        Mqtt5Publish publish = received.poll(10, TimeUnit.SECONDS);
        assertThat(publish).as("delivery %d", attempt).isNotNull();
        assertThat(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("again");
      } // disconnect without PUBACK: the lock is abandoned at once rather than left to expire
    }
    // Two deliveries counted: the next lock is the third.
    Optional<InboxMessage> next = await().until(() -> bed.inbox().receive("box-3"), Optional::isPresent);
    assertThat(next.get().deliveryCount()).isEqualTo(3);
    bed.inbox().complete("box-3", next.get().lockToken());
  }

  @Test
  void unsubscribedDeviceGetsNothing() throws Exception {
    try (TestDevice device = TestDevice.v5(bed, "box-4")) {
      device.connect(token("box-4"));
      BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
      device.v5.publishes(MqttGlobalPublishFilter.ALL, received::add);
      device.v5.subscribeWith().topicFilter("$iothub/twin/res/#").send().get(10, TimeUnit.SECONDS);
      bed.sendToInbox("box-4", MessageProperties.NONE, "waits");
      // The device is connected but not subscribed to devicebound: the message stays in the inbox, unlocked.
      Optional<InboxMessage> next = bed.inbox().receive("box-4");
      assertThat(next).isPresent();
      assertThat(next.get().deliveryCount()).isEqualTo(1);
      bed.inbox().complete("box-4", next.get().lockToken());
      assertThat(received).isEmpty();
    }
  }

  private static String token(String id) {
    return MqttTestBed.token(id, keys.get(id), Duration.ofHours(1));
  }

  /** Parses a bag the way the Java SDK does: from the first %24, split on &, form-decode. */
  private static Map<String, String> bag(String topic) {
    String bag = topic.substring(topic.indexOf("%24"));
    Map<String, String> properties = new LinkedHashMap<>();
    for (String pair : bag.split("&")) {
      int eq = pair.indexOf('=');
      properties.put(PercentCodec.decode(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? null : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return properties;
  }
}
