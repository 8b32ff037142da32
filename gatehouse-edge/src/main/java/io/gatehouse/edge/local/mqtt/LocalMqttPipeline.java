package io.gatehouse.edge.local.mqtt;

import io.gatehouse.mqtt.FrameLimitDecoder;
import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafCredentials;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flow.FlowControlHandler;

/**
 * Every handler of a leaf connection, in order. Inbound bytes flow top to bottom:
 *
 * <pre>
 * keep-alive        IdleStateHandler at 1.5 times the keep-alive, added once CONNACK is sent
 * connect-deadline  CONNECT must arrive and be answered within the connect timeout
 * frame-limit       whole packets only; over the maximum → refused from the fixed header alone
 * flow-control      holds packets already read while reading is paused, so the inbound window is exact
 * decoder           Netty's MQTT decoder (3.1.1 and 5), fed whole packets, strict UTF-8
 * encoder           Netty's MQTT encoder (outbound)
 * well-formed       undecodable packets end the connection
 * connect           CONNECT → local credential check → registry (takeover), CONNACK, sink notified
 * telemetry         PUBLISH on leaves/{id}/telemetry → sink; PUBACK once durable, in order; inbound window
 * subscriptions     SUBSCRIBE / UNSUBSCRIBE of leaves/{id}/commands only
 * commands          edge → leaf commands and their PUBACKs; bounded queue and window
 * control           PINGREQ, DISCONNECT, unexpected packets, keep-alive timeout, errors
 * </pre>
 *
 * There is no TLS: leaves cannot afford it, so the endpoint listens only on the configured LAN
 * addresses. Every handler is created per connection; they share the connection's {@link LeafConnection}.
 */
final class LocalMqttPipeline extends ChannelInitializer<SocketChannel> {
  /** Strict UTF-8: ill-formed strings make a packet malformed (MQTT-1.5.4-1). */
  private static final boolean STRICT_UTF8 = true;

  private final LocalMqttConfig config;
  private final LeafCredentials credentials;
  private final LeafRegistry registry;
  private final GuardedSink sink;
  private final ChannelGroup connections;

  LocalMqttPipeline(LocalMqttConfig config, LeafCredentials credentials, LeafRegistry registry, GuardedSink sink,
      ChannelGroup connections) {
    this.config = config;
    this.credentials = credentials;
    this.registry = registry;
    this.sink = sink;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    connections.add(channel); // removed automatically on close; lets close() reach every connection
    LeafConnection connection = new LeafConnection(channel);
    CommandDeliveryHandler commands = new CommandDeliveryHandler(connection, sink, config.outboundQueue(),
        config.outboundWindow(), config.ackTimeout());
    ConnectHandler.Settings connectSettings =
        new ConnectHandler.Settings(config.maxPacketBytes(), config.inboundWindow(), config.maxKeepAlive());

    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("connect-deadline", new ConnectDeadlineHandler(config.connectTimeout(), connection));
    pipeline.addLast("frame-limit", new FrameLimitDecoder(config.maxPacketBytes(), connection::violation));
    pipeline.addLast("flow-control", new FlowControlHandler());
    pipeline.addLast("decoder", new MqttDecoder(config.maxPacketBytes(), LeafCredentials.MAX_LEAF_ID_LENGTH,
        STRICT_UTF8));
    pipeline.addLast("encoder", MqttEncoder.INSTANCE);
    pipeline.addLast("well-formed", new WellFormedPacketHandler(connection));
    pipeline.addLast("connect", new ConnectHandler(credentials, registry, sink, commands, connection, connectSettings));
    pipeline.addLast("telemetry", new TelemetryHandler(sink, connection, config.inboundWindow()));
    pipeline.addLast("subscriptions", new SubscriptionHandler(connection));
    pipeline.addLast("commands", commands);
    pipeline.addLast("control", new ControlHandler(connection));
  }
}
