package io.gatehouse.server.mqtt;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.server.device.DeviceForbiddenException;
import io.gatehouse.server.device.TelemetryIngest;
import io.gatehouse.server.posture.PostureIngest;
import io.netty.handler.codec.mqtt.MqttReasonCodes.PubAck;
import java.util.concurrent.CompletableFuture;

/**
 * Where a device's PUBLISH goes, by topic: telemetry on {@code devices/{id}/messages/events/…}
 * (the device's own, or an edge's leaves'), or a field gateway's posture report on
 * {@value #POSTURE_TOPIC}. The application services decide who may publish what; this class maps
 * their refusals to MQTT reason codes. Never blocks.
 */
final class PublishRouter {
  /** Where a field gateway publishes its posture report (MQTT 5, QoS 1, a JSON object). */
  static final String POSTURE_TOPIC = "$gatehouse/edge/posture";

  private final TelemetryIngest telemetry;
  private final PostureIngest postures;

  PublishRouter(TelemetryIngest telemetry, PostureIngest postures) {
    this.telemetry = telemetry;
    this.postures = postures;
  }

  /**
   * Accepts the message: the future completes once it is durable, which is when to acknowledge it.
   *
   * @throws PublishRefusedException with the reason code to answer, if the message is refused
   */
  CompletableFuture<?> route(MqttConnection connection, String topic, boolean retain, byte[] payload)
      throws PublishRefusedException {
    if (topic.equals(POSTURE_TOPIC)) {
      return posture(connection, payload);
    }
    D2cTopic target = D2cTopic.parse(topic).orElseThrow(() -> new PublishRefusedException(
        MqttRefusal.UNSERVED_TOPIC, PubAck.NOT_AUTHORIZED, "PUBLISH to '" + topic + "', which is not served; "
            + "devices publish to " + D2cTopic.eventsTopic(connection.deviceId())));
    try {
      MessageProperties properties = PropertyBag.parseDeviceToCloud(target.propertyBag(), retain);
      return telemetry.publish(connection.device(), target.deviceId(), properties, payload);
    } catch (DeviceForbiddenException e) {
      throw new PublishRefusedException(MqttRefusal.FOREIGN_TOPIC, PubAck.NOT_AUTHORIZED, e.getMessage());
    } catch (InvalidInputException e) {
      throw new PublishRefusedException(MqttRefusal.INVALID_MESSAGE, PubAck.IMPLEMENTATION_SPECIFIC_ERROR,
          e.getMessage());
    }
  }

  private CompletableFuture<?> posture(MqttConnection connection, byte[] payload) throws PublishRefusedException {
    try {
      return postures.report(connection.device(), payload, connection.source());
    } catch (DeviceForbiddenException e) {
      throw new PublishRefusedException(MqttRefusal.EDGE_ONLY_TOPIC, PubAck.NOT_AUTHORIZED, e.getMessage());
    } catch (InvalidInputException e) {
      throw new PublishRefusedException(MqttRefusal.MALFORMED_PAYLOAD, PubAck.PAYLOAD_FORMAT_INVALID, e.getMessage());
    }
  }
}
