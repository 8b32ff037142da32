package io.gatehouse.server.mqtt;

import io.gatehouse.server.inbox.InboxService;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * SUBSCRIBE and UNSUBSCRIBE. Only the filters Azure IoT Hub accepts are granted, at QoS
 * min(requested, 1), and a devicebound filter only for an inbox the client may receive (its own;
 * a field gateway's also each of its enabled leaves', as the inbox service decides). Any other
 * filter is refused on its own (MQTT 5: 0x87 Not authorized, 3.1.1: 0x80 Failure) and audited as a
 * denial. Subscriptions live as long as the connection. Each granted devicebound filter starts (or
 * renews) delivery of that inbox, each unsubscribed one stops it: {@link InboxEvent}s after the
 * acknowledgement, so that no delivery precedes the SUBACK.
 */
final class SubscriptionHandler extends ChannelInboundHandlerAdapter {
  private final MqttConnection connection;
  private final InboxService inbox;
  private final Set<Subscription> active = new HashSet<>();

  SubscriptionHandler(MqttConnection connection, InboxService inbox) {
    this.connection = connection;
    this.inbox = inbox;
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
    List<MqttTopicSubscription> filters = subscribe.payload().topicSubscriptions();
    List<InboxEvent> started = new ArrayList<>();
    int[] codes = new int[filters.size()];
    for (int i = 0; i < codes.length; i++) {
      MqttTopicSubscription filter = filters.get(i);
      Optional<String> refusal = grant(filter.topicFilter(), started);
      if (refusal.isEmpty()) {
        codes[i] = Math.min(filter.qualityOfService().value(), MqttQoS.AT_LEAST_ONCE.value());
      } else {
        connection.refuse(MqttRefusal.SUBSCRIPTION_DENIED, "mqtt.subscribe",
            "SUBSCRIBE to '" + filter.topicFilter() + "' refused: " + refusal.get());
        codes[i] = connection.isV5() ? MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xff
            : MqttQoS.FAILURE.value();
      }
    }
    ctx.writeAndFlush(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE,
        false, 0), new MqttMessageIdAndPropertiesVariableHeader(header.messageId(), MqttProperties.NO_PROPERTIES),
        new MqttSubAckPayload(codes)));
    started.forEach(ctx::fireUserEventTriggered);
  }

  /** Grants {@code filter} (noting an inbox to start in {@code started}), or says why not. */
  private Optional<String> grant(String filter, List<InboxEvent> started) {
    Optional<Subscription> kind = DeviceTopics.classify(filter);
    if (kind.isEmpty()) {
      return Optional.of("a device may not use this filter; devices subscribe to "
          + DeviceTopics.deviceboundFilter(connection.deviceId()));
    }
    if (kind.get() instanceof Subscription.Inbox inboxOf) {
      Optional<String> refusal = inbox.receiveRefusal(connection.device(), inboxOf.deviceId());
      if (refusal.isPresent()) {
        return refusal;
      }
      started.add(new InboxEvent.Subscribed(inboxOf.deviceId()));
    }
    active.add(kind.get());
    return Optional.empty();
  }

  private void onUnsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage unsubscribe) {
    int packetId = unsubscribe.idAndPropertiesVariableHeader().messageId();
    List<InboxEvent> stopped = new ArrayList<>();
    MqttMessageBuilders.UnsubAckBuilder v5 = MqttMessageBuilders.unsubAck().packetId(packetId);
    for (String filter : unsubscribe.payload().topics()) {
      Optional<Subscription> kind = DeviceTopics.classify(filter);
      boolean existed = kind.isPresent() && active.remove(kind.get());
      if (existed && kind.get() instanceof Subscription.Inbox inboxOf) {
        stopped.add(new InboxEvent.Unsubscribed(inboxOf.deviceId()));
      }
      v5.addReasonCode((short) (existed ? MqttReasonCodes.UnsubAck.SUCCESS.byteValue()
          : MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue()));
    }
    ctx.writeAndFlush(connection.isV5() ? v5.build() : new MqttUnsubAckMessage(
        new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(packetId)));
    stopped.forEach(ctx::fireUserEventTriggered);
  }
}
