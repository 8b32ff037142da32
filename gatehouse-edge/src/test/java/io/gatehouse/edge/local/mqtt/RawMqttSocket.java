package io.gatehouse.edge.local.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A bare TCP client that writes hand-made MQTT bytes, for what well-behaved clients never send. */
final class RawMqttSocket implements AutoCloseable {
  private final Socket socket = new Socket();

  RawMqttSocket(int port) throws IOException {
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(5000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
  }

  void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  void sendByteByByte(byte[] bytes) throws IOException {
    for (byte b : bytes) {
      send(new byte[] {b});
    }
  }

  byte[] read(int count) throws IOException {
    byte[] bytes = socket.getInputStream().readNBytes(count);
    if (bytes.length < count) {
      throw new IOException("connection closed after " + bytes.length + " of " + count + " bytes");
    }
    return bytes;
  }

  /** True if the peer closes the connection within the socket timeout (5 s); false if it stays open. */
  boolean closedByPeer() throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static byte[] connect(MqttVersion version, String clientId, String password) {
    return encode(MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId).username(clientId)
        .password(password.getBytes(StandardCharsets.UTF_8)).cleanSession(true).keepAlive(60).build());
  }

  static byte[] publishQos1(String topic, int packetId, byte[] payload) {
    return encode(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).messageId(packetId)
        .retained(false).payload(Unpooled.wrappedBuffer(payload)).build());
  }

  static byte[] encode(MqttMessage message) {
    EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
    channel.writeOutbound(message);
    ByteBuf encoded = channel.readOutbound();
    try {
      return ByteBufUtil.getBytes(encoded);
    } finally {
      encoded.release();
      channel.finishAndReleaseAll();
    }
  }
}
