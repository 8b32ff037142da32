package io.gatehouse.server.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An MQTT client on a plain TLS socket, for what real clients refuse to send: packets byte by
 * byte, oversized or malformed packets, QoS 2, packets before CONNECT. Netty's codec in an
 * embedded channel encodes and decodes (it learns the version from the CONNECT it encodes).
 */
final class RawMqttClient implements AutoCloseable {
  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;
  private final EmbeddedChannel codec = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);

  RawMqttClient(MqttTestBed bed) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, bed.trust().getTrustManagers(), null);
    socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", bed.port());
    socket.setSoTimeout(10_000); // a guard against a hanging test, not a wait
    socket.startHandshake();
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static MqttConnectMessage connect(MqttVersion version, String clientId, String token) {
    return MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId).cleanSession(true)
        .keepAlive(60).username(MqttTestBed.userName(clientId))
        .password(token.getBytes(StandardCharsets.UTF_8)).build();
  }

  /** Encodes a packet with Netty's encoder. */
  byte[] encode(MqttMessage message) {
    codec.writeOutbound(message);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteBuf encoded;
    while ((encoded = codec.readOutbound()) != null) {
      bytes.writeBytes(ByteBufUtil.getBytes(encoded));
      encoded.release();
    }
    return bytes.toByteArray();
  }

  RawMqttClient send(MqttMessage message) throws IOException {
    return write(encode(message));
  }

  RawMqttClient write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Writes each byte in its own TLS record. */
  RawMqttClient writeByteByByte(byte[] bytes) throws IOException {
    for (byte b : bytes) {
      out.write(b);
      out.flush();
    }
    return this;
  }

  /** The next packet from the server, or null if the server closed the connection first. */
  MqttMessage read() throws IOException {
    while (true) {
      MqttMessage decoded = codec.readInbound();
      if (decoded != null) {
        return decoded;
      }
      byte[] buffer = new byte[4096];
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (SocketException e) {
        return null;
      }
      if (n < 0) {
        return null;
      }
      codec.writeInbound(Unpooled.wrappedBuffer(buffer, 0, n));
    }
  }

  /** True once the server ended the connection; packets still arriving before the end are skipped. */
  boolean closedByServer() throws IOException {
    while (true) {
      MqttMessage message = read();
      if (message == null) {
        return true;
      }
      io.netty.util.ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    codec.finishAndReleaseAll();
  }
}
