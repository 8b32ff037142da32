package io.gatehouse.server.mqtt;

import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.server.device.DeviceForbiddenException;
import io.gatehouse.server.device.DeviceSession.TerminationReason;
import io.gatehouse.server.device.TelemetryIngest;
import io.gatehouse.server.mqtt.MqttConnection.ReadPause;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttReasonCodes.PubAck;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device-to-cloud PUBLISH: hands the message to where its topic leads ({@link PublishRouter}:
 * telemetry, or an edge's posture report), and acknowledges a QoS 1 message only once it is
 * durable, in the order the publishes arrived (MQTT-4.6.0-2) even when the stores complete them out
 * of order. A refused message gets (MQTT 5) a negative PUBACK in its turn, with the reason as
 * reason string unless the client asked for none. While more than the Receive Maximum publishes
 * await durability, reading stops, so a flood costs bounded memory. Also stores the will as
 * telemetry when the connection ends without DISCONNECT.
 */
final class TelemetryHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TelemetryHandler.class);

  /** A QoS 1 publish waiting for its PUBACK; {@code code} is set once its outcome is known. */
  private static final class PendingAck {
    final int packetId;
    PubAck code;
    /** Why it was refused, for the reason string; null when accepted. */
    String reason;

    PendingAck(int packetId) {
      this.packetId = packetId;
    }
  }

  private final TelemetryIngest ingest;
  private final PublishRouter router;
  private final MqttConnection connection;
  private final ArrayDeque<PendingAck> acks = new ArrayDeque<>();
  private int awaitingDurability;
  private boolean draining;

  TelemetryHandler(TelemetryIngest ingest, PublishRouter router, MqttConnection connection) {
    this.ingest = ingest;
    this.router = router;
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof MqttPublishMessage publish)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      onPublish(ctx, publish);
    } finally {
      publish.release();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == MqttEvent.SHUTDOWN && connection.isEstablished()) {
      draining = true;
      connection.pauseReading(ReadPause.SHUTTING_DOWN);
      endIfDrained();
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    WillMessage will = connection.will();
    if (will != null && connection.isEstablished() && connection.closeCause().publishesWill()) {
      publishWill(will);
    }
    ctx.fireChannelInactive();
  }

  private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
    MqttQoS qos = publish.fixedHeader().qosLevel();
    String topic = publish.variableHeader().topicName();
    boolean retain = publish.fixedHeader().isRetain();
    if (qos == MqttQoS.EXACTLY_ONCE) {
      connection.violation(MqttRefusal.QOS_NOT_SUPPORTED, "mqtt.publish", "PUBLISH at QoS 2; the maximum QoS is 1",
          Disconnect.QOS_NOT_SUPPORTED);
      return;
    }
    if (connection.isV5() && checkV5Rules(publish, qos, retain)) {
      return;
    }
    CompletableFuture<?> durable;
    try {
      durable = router.route(connection, topic, retain, ByteBufUtil.getBytes(publish.content()));
    } catch (PublishRefusedException e) {
      refuse(ctx, publish, e.reason(), e.code(), e.getMessage());
      return;
    }
    PendingAck ack = qos == MqttQoS.AT_LEAST_ONCE ? new PendingAck(publish.variableHeader().packetId()) : null;
    if (ack != null) {
      acks.add(ack);
    }
    awaitingDurability++;
    updateWindow();
    // The log completes on its writer thread; everything after happens on this connection's event loop.
    durable.whenComplete((stored, failure) -> {
      try {
        ctx.executor().execute(() -> durable(ctx, ack, failure));
      } catch (RejectedExecutionException e) {
        log.debug("event loop gone before an acknowledgement conn={}", connection.id());
      }
    });
  }

  /** MQTT 5 rules that follow from what the CONNACK announced; returns true if the connection ends. */
  private boolean checkV5Rules(MqttPublishMessage publish, MqttQoS qos, boolean retain) {
    if (retain) {
      connection.violation(MqttRefusal.RETAIN_NOT_SUPPORTED, "mqtt.publish",
          "PUBLISH with RETAIN, but Retain Available is 0", Disconnect.RETAIN_NOT_SUPPORTED);
      return true;
    }
    if (publish.variableHeader().properties().getProperty(MqttPropertyType.TOPIC_ALIAS.value()) != null) {
      connection.violation(MqttRefusal.FLOW_CONTROL_VIOLATION, "mqtt.publish",
          "PUBLISH with a topic alias, but Topic Alias Maximum is 0", Disconnect.TOPIC_ALIAS_INVALID);
      return true;
    }
    if (qos == MqttQoS.AT_LEAST_ONCE && acks.size() >= connection.inboundWindow()) {
      connection.violation(MqttRefusal.FLOW_CONTROL_VIOLATION, "mqtt.publish",
          "more than " + connection.inboundWindow() + " unacknowledged QoS 1 publishes (Receive Maximum)",
          Disconnect.RECEIVE_MAXIMUM_EXCEEDED);
      return true;
    }
    return false;
  }

  /**
   * MQTT 5: the message is dropped, and a QoS 1 publish gets a negative PUBACK in its turn.
   * MQTT 3.1.1 cannot refuse a single publish, so the connection is closed, as Azure IoT Hub does.
   */
  private void refuse(ChannelHandlerContext ctx, MqttPublishMessage publish, MqttRefusal reason, PubAck code,
      String detail) {
    if (!connection.isV5()) {
      connection.violation(reason, "mqtt.publish", detail, Disconnect.NOT_AUTHORIZED);
      return;
    }
    connection.refuse(reason, "mqtt.publish", detail);
    if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      PendingAck ack = new PendingAck(publish.variableHeader().packetId());
      ack.code = code;
      ack.reason = detail;
      acks.add(ack);
      sendReadyAcks(ctx);
    }
  }

  private void durable(ChannelHandlerContext ctx, PendingAck ack, Throwable failure) {
    awaitingDurability--;
    if (ack != null) {
      ack.code = failure == null ? PubAck.SUCCESS : codeFor(failure);
    } else if (failure != null) {
      log.warn("mqtt QoS 0 message lost conn={} device={}: {}", connection.id(), connection.deviceId(),
          describe(failure));
    }
    sendReadyAcks(ctx);
    updateWindow();
    endIfDrained();
  }

  private PubAck codeFor(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    log.warn("mqtt message not stored conn={} device={}: {}", connection.id(), connection.deviceId(), describe(cause));
    return cause instanceof LimitExceededException ? PubAck.QUOTA_EXCEEDED : PubAck.UNSPECIFIED_ERROR;
  }

  private void sendReadyAcks(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!acks.isEmpty() && acks.peek().code != null && !connection.isClosing()) {
      PendingAck ack = acks.poll();
      if (ack.code != PubAck.SUCCESS && !connection.isV5()) {
        // MQTT 3.1.1 has no negative PUBACK: closing makes the client send it again after reconnecting.
        connection.close(MqttConnection.CloseCause.SERVER_TERMINATED);
        return;
      }
      ctx.write(MqttMessageBuilders.pubAck().packetId(ack.packetId).reasonCode(ack.code.byteValue())
          .properties(reasonProperties(ack.reason)).build());
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  /**
   * The reason string of a negative PUBACK: left out if the client asked for no problem
   * information, or if it would make the PUBACK larger than the client accepts.
   */
  private MqttProperties reasonProperties(String reason) {
    if (reason == null || !connection.isV5() || !connection.limits().requestProblemInformation()) {
      return MqttProperties.NO_PROPERTIES;
    }
    String clipped = MqttConnection.clip(reason);
    // fixed header (at most 2) + packet id (2) + reason code (1) + property length (at most 2)
    // + property id (1) + string length (2)
    if (10L + ByteBufUtil.utf8Bytes(clipped) > connection.limits().maximumPacketSize()) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties properties = new MqttProperties();
    properties.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), clipped));
    return properties;
  }

  private void updateWindow() {
    if (awaitingDurability >= connection.inboundWindow()) {
      connection.pauseReading(ReadPause.INBOUND_WINDOW);
    } else {
      connection.resumeReading(ReadPause.INBOUND_WINDOW);
    }
  }

  private void endIfDrained() {
    if (draining && awaitingDurability == 0) {
      connection.terminate(MqttSession.codeFor(TerminationReason.SERVER_SHUTTING_DOWN), "the gateway is shutting down");
    }
  }

  private void publishWill(WillMessage will) {
    try {
      Map<String, String> extra = new LinkedHashMap<>();
      MessageProperties bag = PropertyBag.parseDeviceToCloud(D2cTopic.parse(will.topic()).orElseThrow().propertyBag(),
          will.retain());
      extra.putAll(bag.application());
      extra.put("iothub-MessageType", "Will");
      MessageProperties properties = new MessageProperties(bag.messageId(), bag.correlationId(), bag.userId(),
          bag.contentType(), bag.contentEncoding(), extra);
      ingest.publish(connection.device(), connection.deviceId(), properties, will.payload())
          .whenComplete((stored, failure) -> {
            if (failure != null) {
              log.warn("mqtt will not stored device={}: {}", connection.deviceId(), describe(failure));
            }
          });
      log.info("mqtt will published conn={} device={} cause={}", connection.id(), connection.deviceId(),
          connection.closeCause());
    } catch (DeviceForbiddenException | RuntimeException e) {
      log.warn("mqtt will refused device={}: {}", connection.deviceId(), e.getMessage());
    }
  }

  private static String describe(Throwable failure) {
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
