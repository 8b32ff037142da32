package io.gatehouse.edge.local.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.util.ReferenceCountUtil;

/**
 * Lets only packets the decoder could decode through (ill-formed UTF-8 included: the decoder is
 * strict). An undecodable packet ends the connection: MQTT 5 after CONNACK with DISCONNECT 0x81, an
 * unsupported protocol level in CONNECT with CONNACK 0x01 (3.1.1 format, which every client reads),
 * anything else with a plain close. Once the connection is closing, what was still buffered is dropped.
 */
final class WellFormedPacketHandler extends ChannelInboundHandlerAdapter {
  /** CONNACK, remaining length 2, no session present, return code 0x01 (unacceptable protocol version). */
  private static final byte[] CONNACK_UNACCEPTABLE_VERSION = {0x20, 0x02, 0x00, 0x01};

  private final LeafConnection connection;

  WellFormedPacketHandler(LeafConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (connection.isClosing()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    MqttMessage packet = (MqttMessage) msg;
    if (packet.decoderResult().isSuccess()) {
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    Throwable cause = packet.decoderResult().cause();
    String type = packet.fixedHeader() == null ? "unknown" : packet.fixedHeader().messageType().name();
    if (cause instanceof MqttUnacceptableProtocolVersionException && !connection.isEstablished()) {
      connection.closeAfter(Unpooled.copiedBuffer(CONNACK_UNACCEPTABLE_VERSION));
      return;
    }
    connection.violation(Disconnect.MALFORMED_PACKET, "malformed " + type + " packet: "
        + cause.getClass().getSimpleName());
  }
}
