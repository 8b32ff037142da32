package io.gatehouse.edge.local.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the handlers of one connection share: its id and peer, the protocol version, the leaf once
 * authenticated, what the client said it can take, and the ways to end the connection with the
 * right code. One per connection; used only on the channel's event loop.
 */
final class LeafConnection {
  /** Who wants reading paused; reading resumes when nobody does. */
  enum ReadPause { INBOUND_WINDOW, CLOSING }

  /** What an MQTT 5 client announced in CONNECT; MQTT 3.1.1 clients announce nothing. */
  record ClientLimits(int receiveMaximum, int maximumPacketSize) {
    static final ClientLimits UNANNOUNCED = new ClientLimits(65_535, 268_435_460);
  }

  private static final Logger log = LoggerFactory.getLogger(LeafConnection.class);
  private static final int MAX_REASON_STRING = 200;

  private final Channel channel;
  private final String id;
  private final EnumSet<ReadPause> pauses = EnumSet.noneOf(ReadPause.class);
  private boolean v5;
  private String claimedId;
  private String leafId;
  private ClientLimits limits = ClientLimits.UNANNOUNCED;
  private boolean closing;

  LeafConnection(Channel channel) {
    this.channel = channel;
    this.id = channel.id().asShortText();
  }

  Channel channel() {
    return channel;
  }

  /** Short connection id for logs. */
  String id() {
    return id;
  }

  InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.remoteAddress();
  }

  void connecting(boolean mqtt5, String clientId) {
    this.v5 = mqtt5;
    this.claimedId = clientId;
  }

  boolean isV5() {
    return v5;
  }

  void establish(String authenticatedLeafId, ClientLimits clientLimits) {
    this.leafId = authenticatedLeafId;
    this.limits = clientLimits;
  }

  boolean isEstablished() {
    return leafId != null;
  }

  /** The authenticated leaf id, or before that the client id claimed (for logs), or null. */
  String leafId() {
    return leafId != null ? leafId : claimedId;
  }

  ClientLimits limits() {
    return limits;
  }

  /** True once the server decided to end the connection: input still buffered is dropped. */
  boolean isClosing() {
    return closing;
  }

  /** The client broke a rule: MQTT 5 gets DISCONNECT with the code (once established), then the connection closes. */
  void violation(Disconnect code, String detail) {
    if (closing) {
      return;
    }
    log.warn("leaf protocol violation conn={} leaf={} code=0x{} detail=\"{}\"", id, leafId(), hex(code), detail);
    end(code, detail);
  }

  /** The server ends a healthy connection (takeover, keep-alive timeout). */
  void terminate(Disconnect code, String detail) {
    if (closing) {
      return;
    }
    log.info("leaf connection ended by the edge conn={} leaf={} code=0x{} detail=\"{}\"", id, leafId(), hex(code),
        detail);
    end(code, detail);
  }

  /** Closes without a DISCONNECT (before CONNECT, or for MQTT 3.1.1, or after the client's DISCONNECT). */
  void close() {
    if (closing) {
      return;
    }
    closing = true;
    pauseReading(ReadPause.CLOSING);
    channel.close();
  }

  /** Sends a last packet (a refusing CONNACK), then closes. */
  void closeAfter(Object lastPacket) {
    if (closing) {
      ReferenceCountUtil.release(lastPacket);
      return;
    }
    closing = true;
    pauseReading(ReadPause.CLOSING);
    channel.writeAndFlush(lastPacket).addListener(ChannelFutureListener.CLOSE);
  }

  void pauseReading(ReadPause why) {
    if (pauses.add(why) && pauses.size() == 1) {
      channel.config().setAutoRead(false);
    }
  }

  void resumeReading(ReadPause why) {
    if (pauses.remove(why) && pauses.isEmpty()) {
      channel.config().setAutoRead(true); // also asks for the next read
    }
  }

  private void end(Disconnect code, String reasonString) {
    closing = true;
    pauseReading(ReadPause.CLOSING);
    if (v5 && isEstablished() && channel.isActive()) {
      MqttProperties properties = new MqttProperties();
      properties.add(new StringProperty(MqttProperties.REASON_STRING, clip(reasonString)));
      channel.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(code.byteValue()).properties(properties)
          .build()).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }

  private static String hex(Disconnect code) {
    return Integer.toHexString(code.byteValue() & 0xff);
  }

  private static String clip(String text) {
    return text.length() <= MAX_REASON_STRING ? text : text.substring(0, MAX_REASON_STRING - 1) + "…";
  }
}
