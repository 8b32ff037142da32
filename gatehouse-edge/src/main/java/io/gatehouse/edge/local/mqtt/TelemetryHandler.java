package io.gatehouse.edge.local.mqtt;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.mqtt.LeafConnection.ReadPause;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttProperties;
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
 * Leaf → edge PUBLISH: only on the leaf's own telemetry topic, at QoS 0 or 1. Each message goes to
 * the sink; a QoS 1 message is acknowledged only once the sink holds it durably, and PUBACKs go out
 * in the order the publishes arrived (MQTT-4.6.0-2) even when the sink completes out of order.
 * While the inbound window of messages awaits the sink, reading stops, so a flood costs bounded
 * memory. Refusals: QoS 2 ends the connection (MQTT 5: DISCONNECT 0x9B); another topic gets PUBACK
 * 0x87 over MQTT 5 and closes an MQTT 3.1.1 connection, which cannot refuse a single message.
 */
final class TelemetryHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TelemetryHandler.class);

  /** A QoS 1 publish waiting for its PUBACK; {@code code} is set once its outcome is known. */
  private static final class PendingAck {
    final int packetId;
    PubAck code;

    PendingAck(int packetId) {
      this.packetId = packetId;
    }
  }

  private final GuardedSink sink;
  private final LeafConnection connection;
  private final int window;
  private final ArrayDeque<PendingAck> acks = new ArrayDeque<>();
  private int awaitingSink;

  TelemetryHandler(GuardedSink sink, LeafConnection connection, int window) {
    this.sink = sink;
    this.connection = connection;
    this.window = window;
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

  private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
    MqttQoS qos = publish.fixedHeader().qosLevel();
    if (qos == MqttQoS.EXACTLY_ONCE) {
      connection.violation(Disconnect.QOS_NOT_SUPPORTED, "PUBLISH at QoS 2; the maximum QoS is 1");
      return;
    }
    if (connection.isV5() && breaksV5Rules(publish, qos)) {
      return;
    }
    String topic = publish.variableHeader().topicName();
    String allowed = LeafTopics.telemetry(connection.leafId());
    if (!allowed.equals(topic)) {
      refuse(ctx, publish, "PUBLISH to '" + topic + "'; leaf " + connection.leafId() + " may publish only to " + allowed);
      return;
    }
    PendingAck ack = qos == MqttQoS.AT_LEAST_ONCE ? new PendingAck(publish.variableHeader().packetId()) : null;
    if (ack != null) {
      acks.add(ack);
    }
    awaitingSink++;
    updateWindow();
    CompletableFuture<Void> stored = sink.accept(connection.leafId(), ByteBufUtil.getBytes(publish.content()),
        properties(publish.variableHeader().properties()));
    // The sink may complete on any thread; everything after happens on this connection's event loop.
    stored.whenComplete((ok, failure) -> {
      try {
        ctx.executor().execute(() -> stored(ctx, ack, failure));
      } catch (RejectedExecutionException e) {
        log.debug("event loop gone before an acknowledgement conn={}", connection.id());
      }
    });
  }

  /** MQTT 5 rules that follow from what the CONNACK announced; returns true if the connection ends. */
  private boolean breaksV5Rules(MqttPublishMessage publish, MqttQoS qos) {
    if (publish.fixedHeader().isRetain()) {
      connection.violation(Disconnect.RETAIN_NOT_SUPPORTED, "PUBLISH with RETAIN, but Retain Available is 0");
      return true;
    }
    if (publish.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS) != null) {
      connection.violation(Disconnect.TOPIC_ALIAS_INVALID, "PUBLISH with a topic alias, but Topic Alias Maximum is 0");
      return true;
    }
    if (qos == MqttQoS.AT_LEAST_ONCE && acks.size() >= window) {
      connection.violation(Disconnect.RECEIVE_MAXIMUM_EXCEEDED,
          "more than " + window + " unacknowledged QoS 1 publishes (Receive Maximum)");
      return true;
    }
    return false;
  }

  private void refuse(ChannelHandlerContext ctx, MqttPublishMessage publish, String detail) {
    if (!connection.isV5()) {
      connection.violation(Disconnect.NOT_AUTHORIZED, detail);
      return;
    }
    log.warn("leaf publish refused conn={} leaf={} code=0x87 detail=\"{}\"", connection.id(), connection.leafId(),
        detail);
    if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      PendingAck ack = new PendingAck(publish.variableHeader().packetId());
      ack.code = PubAck.NOT_AUTHORIZED;
      acks.add(ack);
      sendReadyAcks(ctx);
    }
  }

  private void stored(ChannelHandlerContext ctx, PendingAck ack, Throwable failure) {
    awaitingSink--;
    if (ack != null) {
      ack.code = failure == null ? PubAck.SUCCESS : codeFor(failure);
    } else if (failure != null) {
      log.warn("leaf QoS 0 message lost conn={} leaf={} error=\"{}\"", connection.id(), connection.leafId(),
          unwrap(failure).toString());
    }
    sendReadyAcks(ctx);
    updateWindow();
  }

  private PubAck codeFor(Throwable failure) {
    Throwable cause = unwrap(failure);
    log.warn("leaf message not stored conn={} leaf={} error=\"{}\"", connection.id(), connection.leafId(),
        cause.toString());
    return switch (cause) {
      case LimitExceededException full -> PubAck.QUOTA_EXCEEDED;
      case InvalidInputException unreadable -> PubAck.PAYLOAD_FORMAT_INVALID; // e.g. not a JSON object of fields
      default -> PubAck.UNSPECIFIED_ERROR;
    };
  }

  private void sendReadyAcks(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!acks.isEmpty() && acks.peek().code != null && !connection.isClosing()) {
      PendingAck ack = acks.poll();
      if (ack.code != PubAck.SUCCESS && !connection.isV5()) {
        // MQTT 3.1.1 has no negative PUBACK: closing makes the leaf send it again after reconnecting.
        connection.close();
        return;
      }
      ctx.write(MqttMessageBuilders.pubAck().packetId(ack.packetId).reasonCode(ack.code.byteValue()).build());
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  private void updateWindow() {
    if (awaitingSink >= window) {
      connection.pauseReading(ReadPause.INBOUND_WINDOW);
    } else {
      connection.resumeReading(ReadPause.INBOUND_WINDOW);
    }
  }

  /** MQTT 5 user properties (the last of a repeated name wins) and the content type. */
  static Map<String, String> properties(MqttProperties mqtt) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (mqtt.getProperty(MqttProperties.USER_PROPERTY) instanceof UserProperties user) {
      for (StringPair pair : user.value()) {
        properties.put(pair.key, pair.value);
      }
    }
    MqttProperty<?> contentType = mqtt.getProperty(MqttProperties.CONTENT_TYPE);
    if (contentType != null && contentType.value() instanceof String type) {
      properties.put("content-type", type);
    }
    return Map.copyOf(properties);
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
