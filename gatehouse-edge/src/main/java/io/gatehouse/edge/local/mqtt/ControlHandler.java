package io.gatehouse.edge.local.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the pipeline: PINGREQ, DISCONNECT, every packet no handler before took (a second
 * CONNECT, QoS 2 flows, AUTH, server-to-client packets: MQTT 5 DISCONNECT 0x82), the keep-alive
 * timeout (MQTT 5 DISCONNECT 0x8D) and errors (the connection closes).
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ControlHandler.class);
  private static final MqttMessage PINGRESP =
      new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));

  private final LeafConnection connection;

  ControlHandler(LeafConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      MqttMessageType type = ((MqttMessage) msg).fixedHeader().messageType();
      switch (type) {
        case PINGREQ -> ctx.writeAndFlush(PINGRESP);
        case DISCONNECT -> {
          log.debug("leaf sent DISCONNECT conn={} leaf={}", connection.id(), connection.leafId());
          connection.close();
        }
        case CONNECT -> connection.violation(Disconnect.PROTOCOL_ERROR, "second CONNECT on one connection");
        default -> connection.violation(Disconnect.PROTOCOL_ERROR, type + " is not expected from a leaf");
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    // While the edge itself stopped reading (inbound window full), silence is not the leaf's fault.
    if (event instanceof IdleStateEvent && ctx.channel().config().isAutoRead()) {
      connection.terminate(Disconnect.KEEP_ALIVE_TIMEOUT, "no packet within 1.5 times the keep-alive");
    }
    ReferenceCountUtil.release(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and garbage from scanners are routine; anything else is worth a look.
    if (cause instanceof IOException || cause instanceof DecoderException) {
      log.debug("leaf connection error conn={} leaf={} error=\"{}\"", connection.id(), connection.leafId(), cause.toString());
    } else {
      log.warn("leaf connection error conn={} leaf={}", connection.id(), connection.leafId(), cause);
    }
    connection.close();
  }
}
