package io.gatehouse.server.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets only well-formed packets through: a packet the decoder could not decode (which includes
 * ill-formed UTF-8, MQTT-1.5.4-1: the decoder validates strictly), or whose strings contain U+0000
 * (MQTT-1.5.4-2), ends the connection (MQTT 5: DISCONNECT 0x81 Malformed packet; before CONNACK a
 * plain close). Once the connection is closing, whatever was still buffered is dropped here.
 */
final class WellFormedPacketHandler extends ChannelInboundHandlerAdapter {
  private final MqttConnection connection;

  WellFormedPacketHandler(MqttConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (connection.isClosing()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    MqttMessage packet = (MqttMessage) msg;
    String problem = problem(packet);
    if (problem == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    if (packet instanceof MqttConnectMessage || !connection.isEstablished()) {
      // Before CONNACK there is no session to send a DISCONNECT in.
      connection.refuse(MqttRefusal.MALFORMED_PACKET, "mqtt.protocol", problem);
      connection.close(MqttConnection.CloseCause.PROTOCOL_VIOLATION);
    } else {
      connection.violation(MqttRefusal.MALFORMED_PACKET, "mqtt.protocol", problem, Disconnect.MALFORMED_PACKET);
    }
  }

  private static String problem(MqttMessage packet) {
    String type = packet.fixedHeader() == null ? "unknown" : packet.fixedHeader().messageType().name();
    if (packet.decoderResult().isFailure()) {
      Throwable cause = packet.decoderResult().cause();
      return "malformed " + type + " packet: " + cause.getClass().getSimpleName();
    }
    for (String text : strings(packet)) {
      if (text != null && text.indexOf('\u0000') >= 0) {
        return "U+0000 in a string of a " + type + " packet";
      }
    }
    return null;
  }

  private static List<String> strings(MqttMessage packet) {
    List<String> strings = new ArrayList<>();
    switch (packet) {
      case MqttConnectMessage connect -> {
        strings.add(connect.payload().clientIdentifier());
        strings.add(connect.payload().userName());
        strings.add(connect.payload().willTopic());
      }
      case MqttPublishMessage publish -> strings.add(publish.variableHeader().topicName());
      case MqttSubscribeMessage subscribe -> {
        for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
          strings.add(subscription.topicFilter());
        }
      }
      case MqttUnsubscribeMessage unsubscribe -> strings.addAll(unsubscribe.payload().topics());
      default -> { }
    }
    return strings;
  }
}
