package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.crypto.MasterKey;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.store.sqlite.SqliteStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameLimitDecoderTest {
  @TempDir
  static Path directory;
  static SqliteStore store;
  static AuditLog audit;

  @BeforeAll
  static void open() {
    MasterKey master = MasterKey.generate(new SecureRandom());
    store = SqliteStore.open(directory.resolve("audit.db"), master.secretBox(new SecureRandom()),
        new AuditChain(master.derive("audit-chain")), Clock.systemUTC());
    audit = new AuditLog(store.audit(), Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void packetsFedOneByteAtATimeComeOutWhole() {
    EmbeddedChannel channel = channel(1024);
    byte[] two = {0x30, 0x03, 0x00, 0x01, 'a', (byte) 0xC0, 0x00};
    for (byte b : two) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(readFrame(channel)).containsExactly(0x30, 0x03, 0x00, 0x01, 'a');
    assertThat(readFrame(channel)).containsExactly(0xC0, 0x00);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void multiByteRemainingLengthIsDecoded() {
    EmbeddedChannel channel = channel(1024);
    byte[] packet = new byte[3 + 200];
    packet[0] = 0x30;
    packet[1] = (byte) 0xC8; // 200 = 0x48 | continuation, then 0x01
    packet[2] = 0x01;
    channel.writeInbound(Unpooled.wrappedBuffer(packet));
    assertThat(readFrame(channel)).hasSize(203);
    channel.finishAndReleaseAll();
  }

  @Test
  void oversizedPacketIsRefusedFromTheHeaderAlone() {
    EmbeddedChannel channel = channel(1024);
    ByteBuf header = Unpooled.wrappedBuffer(new byte[] {0x30, (byte) 0x80, 0x08}); // 1024 + 3 > 1024
    channel.writeInbound(header);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(header.refCnt()).isZero();
  }

  @Test
  void remainingLengthOfFiveBytesIsMalformed() {
    EmbeddedChannel channel = channel(1024);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}));
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
  }

  private static EmbeddedChannel channel(int max) {
    EmbeddedChannel channel = new EmbeddedChannel();
    MqttConnection connection = new MqttConnection(channel, new MqttRefusals(), audit);
    channel.pipeline().addLast(new FrameLimitDecoder(max, connection));
    return channel;
  }

  private static int[] readFrame(EmbeddedChannel channel) {
    ByteBuf frame = channel.readInbound();
    assertThat(frame).isNotNull();
    try {
      byte[] bytes = ByteBufUtil.getBytes(frame);
      int[] unsigned = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        unsigned[i] = bytes[i] & 0xff;
      }
      return unsigned;
    } finally {
      frame.release();
    }
  }
}
