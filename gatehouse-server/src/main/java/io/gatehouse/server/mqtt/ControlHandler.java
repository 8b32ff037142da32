package io.gatehouse.server.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the pipeline: PINGREQ and DISCONNECT, every packet no handler before took (a second
 * CONNECT, QoS 2 flows, AUTH, server-to-client packets: protocol errors, MQTT 5 DISCONNECT 0x82),
 * the keep-alive timeout (MQTT 5 DISCONNECT 0x8D), and errors (closed quietly).
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ControlHandler.class);
  private static final MqttMessage PINGRESP =
      new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));
  private static final int MAX_MESSAGE = 200;

  private final MqttConnection connection;

  ControlHandler(MqttConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      MqttMessageType type = ((MqttMessage) msg).fixedHeader().messageType();
      switch (type) {
        case PINGREQ -> ctx.writeAndFlush(PINGRESP);
        case DISCONNECT -> connection.clientDisconnected(
            ((MqttMessage) msg).variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header
                && header.reasonCode() == Disconnect.DISCONNECT_WITH_WILL_MESSAGE.byteValue());
        case CONNECT -> connection.violation(MqttRefusal.PROTOCOL_ERROR, "mqtt.protocol",
            "second CONNECT on one connection", Disconnect.PROTOCOL_ERROR);
        default -> connection.violation(MqttRefusal.PROTOCOL_ERROR, "mqtt.protocol",
            type + " is not expected from a device here", Disconnect.PROTOCOL_ERROR);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    // While the server itself stopped reading (inbound window full), silence is not the client's fault.
    if (event instanceof IdleStateEvent && ctx.channel().config().isAutoRead()) {
      connection.keepAliveExpired("no packet within 1.5 times the keep-alive");
    }
    ReferenceCountUtil.release(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets, failed handshakes and scanners are routine; anything else is worth a look.
    if (cause instanceof java.io.IOException || cause instanceof DecoderException) {
      log.debug("mqtt connection error conn={} device={}: {}", connection.id(), connection.deviceId(), describe(cause));
    } else {
      log.warn("mqtt connection error conn={} device={}: {}", connection.id(), connection.deviceId(), describe(cause));
    }
    ctx.close();
  }

  static String describe(Throwable failure) {
    Throwable cause = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof NotSslRecordException) {
      // Its message is a hex dump of what arrived, which may be credentials sent in the clear.
      return "not a TLS record (a plain-text client on the TLS port?)";
    }
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
