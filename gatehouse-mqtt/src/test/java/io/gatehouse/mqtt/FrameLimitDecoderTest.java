package io.gatehouse.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameLimitDecoderTest {
  private static final byte[] PUBLISH = {0x30, 0x08, 0x00, 0x03, 'a', '/', 'b', 'x', 'y', 'z'};

  private final List<Disconnect> refusals = new ArrayList<>();
  private final List<String> details = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel(new FrameLimitDecoder(64, (code, detail) -> {
    refusals.add(code);
    details.add(detail);
  }));

  @AfterEach
  void release() {
    channel.finishAndReleaseAll();
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
    assertThat(refusals).isEmpty();
  }

  @Test
  void splitsPacketsSharingABufferAndKeepsAPartialThird() {
    byte[] two = new byte[PUBLISH.length * 2 + 1];
    System.arraycopy(PUBLISH, 0, two, 0, PUBLISH.length);
    System.arraycopy(PUBLISH, 0, two, PUBLISH.length, PUBLISH.length);
    two[two.length - 1] = (byte) 0xC0; // the first byte of a PINGREQ

    channel.writeInbound(Unpooled.wrappedBuffer(two));

    assertThat(readPacket()).isEqualTo(PUBLISH);
    assertThat(readPacket()).isEqualTo(PUBLISH);
    assertThat(channel.inboundMessages()).isEmpty();
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00}));
    assertThat(readPacket()).containsExactly(0xC0, 0x00);
  }

  @Test
  void decodesAMultiByteRemainingLength() {
    EmbeddedChannel wide = new EmbeddedChannel(new FrameLimitDecoder(1024, (code, detail) -> refusals.add(code)));
    byte[] packet = new byte[3 + 200];
    packet[0] = 0x30;
    packet[1] = (byte) 0xC8; // 200 = 0x48 with the continuation bit, then 0x01
    packet[2] = 0x01;

    wide.writeInbound(Unpooled.wrappedBuffer(packet));

    ByteBuf frame = wide.readInbound();
    assertThat(frame.readableBytes()).isEqualTo(203);
    frame.release();
    wide.finishAndReleaseAll();
  }

  @Test
  void refusesAnOversizePacketFromItsHeaderAloneAndDiscardsTheRest() {
    ByteBuf header = Unpooled.wrappedBuffer(new byte[] {0x30, 0x40}); // 2 + 64 bytes > 64

    channel.writeInbound(header);
    channel.writeInbound(Unpooled.wrappedBuffer(PUBLISH)); // after the refusal: never decoded

    assertThat(refusals).containsExactly(Disconnect.PACKET_TOO_LARGE);
    assertThat(details).singleElement().asString().contains("announces 66 bytes; at most 64");
    assertThat(channel.inboundMessages()).isEmpty();
    assertThat(header.refCnt()).isZero();
  }

  @Test
  void acceptsAPacketOfExactlyTheMaximum() {
    byte[] packet = new byte[64];
    packet[0] = 0x30;
    packet[1] = 62;

    channel.writeInbound(Unpooled.wrappedBuffer(packet));

    assertThat(readPacket()).hasSize(64);
    assertThat(refusals).isEmpty();
  }

  @Test
  void refusesARemainingLengthOfMoreThanFourBytesAsMalformed() {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
        0x01}));

    assertThat(refusals).containsExactly(Disconnect.MALFORMED_PACKET);
    assertThat(channel.inboundMessages()).isEmpty();
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
