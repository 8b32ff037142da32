package io.gatehouse.server.mqtt;

import io.gatehouse.server.mqtt.DeviceTopics.Subscription;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * SUBSCRIBE and UNSUBSCRIBE. Only the filters Azure IoT Hub accepts are granted, at QoS
 * min(requested, 1); any other filter is refused on its own (MQTT 5: 0x87 Not authorized, 3.1.1:
 * 0x80 Failure) and audited. Subscriptions live as long as the connection. Subscribing to the
 * devicebound filter starts inbox delivery; unsubscribing stops it.
 */
final class SubscriptionHandler extends ChannelInboundHandlerAdapter {
  private final MqttConnection connection;
  private final EnumSet<Subscription> active = EnumSet.noneOf(Subscription.class);

  SubscriptionHandler(MqttConnection connection) {
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
    if (connection.isV5() && header.properties().getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) != null) {
      connection.violation(MqttRefusal.PROTOCOL_ERROR, "mqtt.subscribe",
          "SUBSCRIBE with a subscription identifier, but they are not available",
          Disconnect.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED);
      return;
    }
    boolean inboxWasActive = active.contains(Subscription.DEVICEBOUND);
    List<MqttTopicSubscription> filters = subscribe.payload().topicSubscriptions();
    int[] codes = new int[filters.size()];
    for (int i = 0; i < codes.length; i++) {
      MqttTopicSubscription filter = filters.get(i);
      Optional<Subscription> kind = DeviceTopics.classify(filter.topicFilter(), connection.deviceId());
      if (kind.isPresent()) {
        active.add(kind.get());
        codes[i] = Math.min(filter.qualityOfService().value(), MqttQoS.AT_LEAST_ONCE.value());
      } else {
        connection.refuse(MqttRefusal.SUBSCRIPTION_DENIED, "mqtt.subscribe", "SUBSCRIBE to '"
            + filter.topicFilter() + "', which a device may not use; devices subscribe to "
            + DeviceTopics.deviceboundFilter(connection.deviceId()));
        codes[i] = connection.isV5() ? MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xff
            : MqttQoS.FAILURE.value();
      }
    }
    ctx.writeAndFlush(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE,
        false, 0), new MqttMessageIdAndPropertiesVariableHeader(header.messageId(), MqttProperties.NO_PROPERTIES),
        new MqttSubAckPayload(codes)));
    if (!inboxWasActive && active.contains(Subscription.DEVICEBOUND)) {
      ctx.fireUserEventTriggered(MqttEvent.INBOX_SUBSCRIBED); // after the SUBACK, so it precedes deliveries
    }
  }

  private void onUnsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage unsubscribe) {
    boolean inboxWasActive = active.contains(Subscription.DEVICEBOUND);
    int packetId = unsubscribe.idAndPropertiesVariableHeader().messageId();
    MqttMessageBuilders.UnsubAckBuilder v5 = MqttMessageBuilders.unsubAck().packetId(packetId);
    for (String filter : unsubscribe.payload().topics()) {
      Optional<Subscription> kind = DeviceTopics.classify(filter, connection.deviceId());
      boolean existed = kind.isPresent() && active.remove(kind.get());
      v5.addReasonCode((short) (existed ? MqttReasonCodes.UnsubAck.SUCCESS.byteValue()
          : MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue()));
    }
    ctx.writeAndFlush(connection.isV5() ? v5.build() : new MqttUnsubAckMessage(
        new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(packetId)));
    if (inboxWasActive && !active.contains(Subscription.DEVICEBOUND)) {
      ctx.fireUserEventTriggered(MqttEvent.INBOX_UNSUBSCRIBED);
    }
  }
}
