package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages sent to a device subscribed to its inbox are locked for its connection as they are
 * stored and published at once (no pull); the window and sequence order hold all the same.
 */
class MqttDirectDeliveryTest {
  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static final Map<String, String> keys = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    bed = new MqttTestBed(directory);
    for (String id : new String[] {"direct-1", "direct-2"}) {
      keys.put(id, bed.registerDevice(id));
    }
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void concurrentSendsBeyondASmallWindowArriveOnceEachInSequenceOrder() throws Exception {
    int messages = 40;
    try (TestDevice device = TestDevice.v5(bed, "direct-1")) {
      // A Receive Maximum of 3: most sends find the window full and are stored waiting, the others
      // are locked as they are stored; the two paths interleave.
      device.v5.connectWith().simpleAuth().username(MqttTestBed.userName("direct-1"))
          .password(token("direct-1").getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
          .restrictions().receiveMaximum(3).applyRestrictions()
          .send().get(10, TimeUnit.SECONDS);
      BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
      device.v5.publishes(MqttGlobalPublishFilter.SUBSCRIBED, received::add);
      device.v5.subscribeWith().topicFilter("devices/direct-1/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE)
          .send().get(10, TimeUnit.SECONDS);

      Map<String, Long> sequenceOf = new ConcurrentHashMap<>();
      ExecutorService senders = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
          String payload = "n" + i;
          sends.add(senders.submit(() -> {
            InboxMessage stored = bed.sendToInbox("direct-1", MessageProperties.NONE, payload);
            sequenceOf.put(payload, stored.sequence());
          }));
        }
        for (Future<?> send : sends) {
          send.get(30, TimeUnit.SECONDS);
        }
      } finally {
        senders.shutdownNow();
      }

      List<String> order = new ArrayList<>();
      for (int i = 0; i < messages; i++) {
        Mqtt5Publish publish = received.poll(10, TimeUnit.SECONDS);
        assertThat(publish).as("message %d of %d", i + 1, messages).isNotNull();
        order.add(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
      }
      assertThat(order).doesNotHaveDuplicates()
          .isSortedAccordingTo(Comparator.comparing(sequenceOf::get));
      await().until(() -> bed.inboxDepth("direct-1") == 0);
      assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("nothing delivered twice").isNull();
    }
  }

  @Test
  void aMessageLockedForAConnectionThatEndsBeforeItsPubackIsDeliveredAgainLater() throws Exception {
    try (TestDevice device = TestDevice.v5(bed, "direct-2")) {
      device.connect(token("direct-2"));
      BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
      device.v5.publishes(MqttGlobalPublishFilter.SUBSCRIBED, received::add, true); // manual PUBACK, never sent
      device.v5.subscribeWith().topicFilter("devices/direct-2/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE)
          .send().get(10, TimeUnit.SECONDS);
      bed.sendToInbox("direct-2", MessageProperties.NONE, "once more");
      assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
    } // disconnect without PUBACK: the lock taken as it was stored is abandoned
    // One delivery counted: the next lock is the second.
    Optional<InboxMessage> next = await().until(() -> bed.inbox().receive("direct-2"), Optional::isPresent);
    assertThat(new String(next.get().payload(), StandardCharsets.UTF_8)).isEqualTo("once more");
    assertThat(next.get().deliveryCount()).isEqualTo(2);
    bed.inbox().complete("direct-2", next.get().lockToken());
  }

  private static String token(String id) {
    return MqttTestBed.token(id, keys.get(id), Duration.ofHours(1));
  }
}
