package io.gatehouse.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import java.util.List;
import java.util.Objects;

/**
 * Cuts the byte stream into whole MQTT packets, deciding from the fixed header alone (type byte and
 * remaining length). A packet over the maximum is refused before a byte of its body is kept, and
 * what follows is discarded unread; the endpoint's {@link Refusal} tells the client (MQTT 5 after
 * CONNACK: DISCONNECT 0x95 Packet too large) or just closes.
 *
 * <p>Emits each packet as one buffer, so the MQTT decoder after it never waits for more bytes
 * mid-packet, however the packet was fragmented on the wire.
 */
public final class FrameLimitDecoder extends ByteToMessageDecoder {
  /** How an endpoint ends a connection whose framing broke the rules. Called once per connection. */
  @FunctionalInterface
  public interface Refusal {
    /**
     * @param code {@code MALFORMED_PACKET} (remaining length over 4 bytes) or {@code PACKET_TOO_LARGE}
     * @param detail what was wrong, for the audit line and the log
     */
    void refuse(Disconnect code, String detail);
  }

  /** The remaining length is a variable byte integer of at most 4 bytes. */
  private static final int MAX_LENGTH_BYTES = 4;

  private final int maxPacketBytes;
  private final Refusal refusal;
  private boolean discarding;

  public FrameLimitDecoder(int maxPacketBytes, Refusal refusal) {
    if (maxPacketBytes < 2) {
      throw new IllegalArgumentException("maxPacketBytes must be at least 2, got " + maxPacketBytes);
    }
    this.maxPacketBytes = maxPacketBytes;
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    long remainingLength = 0;
    int headerBytes = 1;
    for (int i = 0; ; i++) {
      if (i == MAX_LENGTH_BYTES) {
        refuse(in, Disconnect.MALFORMED_PACKET, "the remaining length of a packet is longer than 4 bytes");
        return;
      }
      if (in.readableBytes() < i + 2) {
        return; // the fixed header is not complete yet
      }
      int digit = in.getUnsignedByte(start + 1 + i);
      remainingLength |= (long) (digit & 0x7f) << (7 * i);
      headerBytes++;
      if ((digit & 0x80) == 0) {
        break;
      }
    }
    long packetBytes = headerBytes + remainingLength;
    if (packetBytes > maxPacketBytes) {
      refuse(in, Disconnect.PACKET_TOO_LARGE, "packet of type " + (in.getUnsignedByte(start) >> 4) + " announces "
          + packetBytes + " bytes; at most " + maxPacketBytes + " are accepted");
      return;
    }
    if (in.readableBytes() < packetBytes) {
      return;
    }
    out.add(in.readRetainedSlice((int) packetBytes));
  }

  private void refuse(ByteBuf in, Disconnect code, String detail) {
    discarding = true;
    in.skipBytes(in.readableBytes());
    refusal.refuse(code, detail);
  }
}
