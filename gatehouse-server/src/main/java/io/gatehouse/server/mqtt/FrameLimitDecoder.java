package io.gatehouse.server.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import java.util.List;

/**
 * Cuts the byte stream into whole MQTT packets, reading only the fixed header (type byte and
 * remaining length) to decide. A packet over the maximum is refused from its header alone, before
 * a byte of its body is kept: MQTT 5 clients get DISCONNECT 0x95 (Packet too large), MQTT 3.1.1
 * clients (and anyone before CONNECT) a closed connection. What follows is discarded unread.
 *
 * <p>Emits each packet as one buffer, so the MQTT decoder after it never waits for more bytes
 * mid-packet, however the packet was fragmented on the wire.
 */
final class FrameLimitDecoder extends ByteToMessageDecoder {
  /** The remaining length is a variable byte integer of at most 4 bytes. */
  private static final int MAX_LENGTH_BYTES = 4;

  private final int maxPacketBytes;
  private final MqttConnection connection;
  private boolean discarding;

  FrameLimitDecoder(int maxPacketBytes, MqttConnection connection) {
    this.maxPacketBytes = maxPacketBytes;
    this.connection = connection;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    int remainingLength = 0;
    int headerBytes = 1;
    for (int i = 0; ; i++) {
      if (i == MAX_LENGTH_BYTES) {
        refuse(MqttRefusal.MALFORMED_PACKET, "the remaining length of a packet is longer than 4 bytes",
            Disconnect.MALFORMED_PACKET);
        in.skipBytes(in.readableBytes());
        return;
      }
      if (in.readableBytes() < 1 + i + 1) {
        return; // the fixed header is not complete yet
      }
      int digit = in.getUnsignedByte(start + 1 + i);
      remainingLength |= (digit & 0x7f) << (7 * i);
      headerBytes++;
      if ((digit & 0x80) == 0) {
        break;
      }
    }
    long packetBytes = (long) headerBytes + remainingLength;
    if (packetBytes > maxPacketBytes) {
      refuse(MqttRefusal.PACKET_TOO_LARGE, "packet of type " + (in.getUnsignedByte(start) >> 4) + " announces "
          + packetBytes + " bytes; at most " + maxPacketBytes + " are accepted", Disconnect.PACKET_TOO_LARGE);
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < packetBytes) {
      return;
    }
    out.add(in.readRetainedSlice((int) packetBytes));
  }

  private void refuse(MqttRefusal reason, String detail, Disconnect code) {
    discarding = true;
    if (connection.isClosing()) {
      return;
    }
    // Before CONNECT the version is unknown and there is nobody to tell; violation() then just closes.
    connection.violation(reason, "mqtt.protocol", detail, code);
  }
}
