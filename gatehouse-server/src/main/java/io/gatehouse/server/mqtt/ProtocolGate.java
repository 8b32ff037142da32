package io.gatehouse.server.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * Checks the first packet of a connection before it is decoded: it must be a CONNECT for MQTT
 * 3.1.1 (level 4) or MQTT 5 (level 5). Anything else before CONNECT, or another protocol name,
 * closes the connection; a known MQTT name at another level (MQTT 3.1 {@code MQIsdp}, future
 * levels) gets CONNACK 0x01 (unacceptable protocol version) in the 3.1.1 format every MQTT client
 * can read, then the connection closes. Removes itself once a CONNECT passes.
 */
final class ProtocolGate extends ChannelInboundHandlerAdapter {
  private static final int CONNECT = 1;
  /** CONNACK, remaining length 2, no session present, return code 0x01. */
  private static final byte[] CONNACK_UNACCEPTABLE_VERSION = {0x20, 0x02, 0x00, 0x01};

  private final MqttConnection connection;

  ProtocolGate(MqttConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf packet = (ByteBuf) msg; // whole packets, from FrameLimitDecoder
    try {
      String problem = check(ctx, packet);
      if (problem == null) {
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(packet.retain());
      }
    } finally {
      packet.release();
    }
  }

  /** Returns null if the packet may pass; otherwise refuses it and says why. */
  private String check(ChannelHandlerContext ctx, ByteBuf packet) {
    int start = packet.readerIndex();
    int type = packet.getUnsignedByte(start) >> 4;
    if (type != CONNECT) {
      return refuse(MqttRefusal.PROTOCOL_ERROR, "first packet is of type " + type + ", not CONNECT");
    }
    int offset = start + 1;
    while ((packet.getUnsignedByte(offset) & 0x80) != 0) {
      offset++; // FrameLimitDecoder already checked the remaining length
    }
    offset++;
    if (packet.writerIndex() - offset < 3) {
      return refuse(MqttRefusal.MALFORMED_PACKET, "CONNECT too short to carry a protocol name");
    }
    int nameLength = packet.getUnsignedShort(offset);
    if (packet.writerIndex() - offset < 2 + nameLength + 1) {
      return refuse(MqttRefusal.MALFORMED_PACKET, "CONNECT too short for its protocol name");
    }
    String name = packet.toString(offset + 2, nameLength, StandardCharsets.UTF_8);
    int level = packet.getUnsignedByte(offset + 2 + nameLength);
    if (name.equals("MQTT") && (level == 4 || level == 5)) {
      return null;
    }
    if (!name.equals("MQTT") && !name.equals("MQIsdp")) {
      return refuse(MqttRefusal.UNSUPPORTED_PROTOCOL, "protocol name is not MQTT");
    }
    connection.refuse(MqttRefusal.UNSUPPORTED_PROTOCOL, "mqtt.connect",
        "protocol " + name + " level " + level + " is not supported; use MQTT 3.1.1 or 5");
    connection.closeAfter(Unpooled.wrappedBuffer(CONNACK_UNACCEPTABLE_VERSION),
        MqttConnection.CloseCause.PROTOCOL_VIOLATION);
    return "unsupported level";
  }

  private String refuse(MqttRefusal reason, String detail) {
    connection.refuse(reason, "mqtt.protocol", detail);
    connection.close(MqttConnection.CloseCause.PROTOCOL_VIOLATION);
    return detail;
  }
}
