package io.gatehouse.edge.local.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE. The one filter a leaf may use is its own command topic, granted at
 * QoS min(requested, 1); any other filter is refused on its own (MQTT 5: 0x87 Not authorized, MQTT
 * 3.1.1: 0x80 Failure). The subscription lives as long as the connection; subscribing starts
 * command delivery, unsubscribing stops it.
 */
final class SubscriptionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionHandler.class);

  private final LeafConnection connection;
  /** The QoS granted for the command topic; null while not subscribed. */
  private MqttQoS granted;

  SubscriptionHandler(LeafConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof MqttSubscribeMessage subscribe) {
      onSubscribe(ctx, subscribe);
    } else if (msg instanceof MqttUnsubscribeMessage unsubscribe) {
      onUnsubscribe(ctx, unsubscribe);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void onSubscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
    MqttMessageIdAndPropertiesVariableHeader header = subscribe.idAndPropertiesVariableHeader();
    if (connection.isV5()
        && header.properties().getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null) {
      connection.violation(Disconnect.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
          "SUBSCRIBE with a subscription identifier, but they are not available");
      return;
    }
    MqttQoS before = granted;
    String allowed = LeafTopics.commands(connection.leafId());
    List<MqttTopicSubscription> filters = subscribe.payload().topicSubscriptions();
    int[] codes = new int[filters.size()];
    for (int i = 0; i < codes.length; i++) {
      MqttTopicSubscription filter = filters.get(i);
      if (allowed.equals(filter.topicFilter())) {
        granted = filter.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
        codes[i] = granted.value();
      } else {
        log.warn("leaf subscription refused conn={} leaf={} filter=\"{}\" allowed=\"{}\"", connection.id(),
            connection.leafId(), filter.topicFilter(), allowed);
        codes[i] = connection.isV5() ? MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xff
            : MqttQoS.FAILURE.value();
      }
    }
    ctx.writeAndFlush(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE,
        false, 0), new MqttMessageIdAndPropertiesVariableHeader(header.messageId(), MqttProperties.NO_PROPERTIES),
        new MqttSubAckPayload(codes)));
    if (granted != before) {
      log.debug("leaf subscribed to commands conn={} leaf={} qos={}", connection.id(), connection.leafId(),
          granted.value());
      ctx.pipeline().fireUserEventTriggered(new CommandSubscription(granted)); // after the SUBACK, before commands
    }
  }

  private void onUnsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage unsubscribe) {
    MqttQoS before = granted;
    String allowed = LeafTopics.commands(connection.leafId());
    int packetId = unsubscribe.idAndPropertiesVariableHeader().messageId();
    MqttMessageBuilders.UnsubAckBuilder v5 = MqttMessageBuilders.unsubAck().packetId(packetId);
    for (String filter : unsubscribe.payload().topics()) {
      boolean existed = allowed.equals(filter) && granted != null;
      if (existed) {
        granted = null;
      }
      v5.addReasonCode((short) (existed ? MqttReasonCodes.UnsubAck.SUCCESS.byteValue()
          : MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue()));
    }
    ctx.writeAndFlush(connection.isV5() ? v5.build() : new MqttUnsubAckMessage(
        new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(packetId)));
    if (before != null && granted == null) {
      ctx.pipeline().fireUserEventTriggered(new CommandSubscription(null));
    }
  }
}
