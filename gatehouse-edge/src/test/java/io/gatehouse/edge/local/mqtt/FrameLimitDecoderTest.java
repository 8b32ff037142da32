package io.gatehouse.edge.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class FrameLimitDecoderTest {
  private static final byte[] PUBLISH = {0x30, 0x08, 0x00, 0x03, 'a', '/', 'b', 'x', 'y', 'z'};

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final LeafConnection connection = new LeafConnection(channel);

  FrameLimitDecoderTest() {
    channel.pipeline().addLast(new FrameLimitDecoder(64, connection));
  }

  @Test
  void reassemblesAPacketFedByteByByte() {
    for (int i = 0; i < PUBLISH.length; i++) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {PUBLISH[i]}));
      if (i < PUBLISH.length - 1) {
        assertThat(channel.inboundMessages()).isEmpty();
      }
    }
    assertThat(readPacket()).isEqualTo(PUBLISH);
    assertThat(channel.inboundMessages()).isEmpty();
  }

  @Test
  void splitsPacketsSharingABuffer() {
    byte[] two = new byte[PUBLISH.length * 2 + 1];
    System.arraycopy(PUBLISH, 0, two, 0, PUBLISH.length);
    System.arraycopy(PUBLISH, 0, two, PUBLISH.length, PUBLISH.length);
    two[two.length - 1] = (byte) 0xC0; // the first byte of a third packet

    channel.writeInbound(Unpooled.wrappedBuffer(two));

    assertThat(readPacket()).isEqualTo(PUBLISH);
    assertThat(readPacket()).isEqualTo(PUBLISH);
    assertThat(channel.inboundMessages()).isEmpty();
  }

  @Test
  void refusesAnOversizePacketFromItsHeaderWithoutWaitingForTheBody() {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x30, 0x40})); // 2 + 64 bytes > 64

    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.inboundMessages()).isEmpty();
  }

  @Test
  void acceptsAPacketOfExactlyTheMaximum() {
    byte[] packet = new byte[64];
    packet[0] = 0x30;
    packet[1] = 62;
    channel.writeInbound(Unpooled.wrappedBuffer(packet));

    assertThat(readPacket()).hasSize(64);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void refusesARemainingLengthOfMoreThanFourBytes() {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}));

    assertThat(channel.isOpen()).isFalse();
  }

  private byte[] readPacket() {
    ByteBuf packet = channel.readInbound();
    assertThat(packet).isNotNull();
    try {
      return ByteBufUtil.getBytes(packet);
    } finally {
      packet.release();
    }
  }
}
