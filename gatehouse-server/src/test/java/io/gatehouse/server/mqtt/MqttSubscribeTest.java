package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only Azure's filters are granted, at QoS 1 at most; anything else is refused per filter. */
class MqttSubscribeTest {
  @TempDir
  static Path directory;
  static MqttTestBed bed;
  static String token;

  @BeforeAll
  static void start() {
    bed = new MqttTestBed(directory);
    token = MqttTestBed.token("pump-1", bed.registerDevice("pump-1"), Duration.ofHours(1));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void v5GrantsAzureFiltersAndRefusesOthers() throws Exception {
    try (TestDevice device = TestDevice.v5(bed, "pump-1")) {
      device.connect(token);
      Mqtt5Subscribe subscribe = Mqtt5Subscribe.builder()
          .addSubscription().topicFilter("devices/pump-1/messages/devicebound/#").qos(MqttQos.EXACTLY_ONCE).applySubscription()
          .addSubscription().topicFilter("$iothub/twin/res/#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
          .addSubscription().topicFilter("$iothub/twin/PATCH/properties/desired/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
          .addSubscription().topicFilter("$iothub/methods/POST/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
          .addSubscription().topicFilter("devices/pump-2/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
          .addSubscription().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
          .build();
      Mqtt5SubAck ack;
      try {
        ack = device.v5.subscribe(subscribe).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        ack = ((com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException) e.getCause()).getMqttMessage();
      }
      assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1,
          Mqtt5SubAckReasonCode.GRANTED_QOS_0, Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.GRANTED_QOS_1,
          Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      assertThat(device.isConnected()).isTrue();
    }
    await().untilAsserted(() -> assertThat(bed.audited("mqtt.subscribe", "devices/pump-2/messages/devicebound/#"))
        .isTrue());
  }

  @Test
  void v311RefusesForeignFilterWithFailure() throws Exception {
    try (TestDevice device = TestDevice.v3(bed, "pump-1")) {
      device.connect(token);
      Mqtt3SubAck ack = device.v3.subscribeWith()
          .addSubscription().topicFilter("devices/pump-1/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
          .addSubscription().topicFilter("devices/pump-2/messages/events/").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
          .send().handle((a, e) -> a != null ? a
              : ((com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException) e).getMqttMessage())
          .get(10, TimeUnit.SECONDS);
      assertThat(ack.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1,
          Mqtt3SubAckReturnCode.FAILURE);
      device.v3.unsubscribeWith().topicFilter("devices/pump-1/messages/devicebound/#").send().get(10, TimeUnit.SECONDS);
    }
    assertThat(bed.server().refusals().count(MqttRefusal.SUBSCRIPTION_DENIED)).isPositive();
  }
}
