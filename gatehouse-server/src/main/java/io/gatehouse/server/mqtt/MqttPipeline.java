package io.gatehouse.server.mqtt;

import io.gatehouse.mqtt.FrameLimitDecoder;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.device.DeviceAuthenticator;
import io.gatehouse.server.device.SessionRegistry;
import io.gatehouse.server.device.TelemetryIngest;
import io.gatehouse.server.inbox.InboxService;
import io.gatehouse.server.tls.ServerTls;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Every handler of an MQTT connection, in order. Inbound bytes flow top to bottom:
 *
 * <pre>
 * tls               SslHandler: TLS only; there is no plaintext listener
 * keep-alive        IdleStateHandler, added once CONNACK is sent (see {@link #startKeepAlive})
 * connect-deadline  CONNECT must arrive and be answered within 10 s of the handshake
 * frame-limit       whole packets only; over the maximum → refused from the fixed header alone
 * protocol-gate     the first packet must be CONNECT for MQTT 3.1.1 or 5 (then removes itself)
 * decoder           Netty's MQTT decoder, fed whole packets
 * encoder           Netty's MQTT encoder (outbound)
 * well-formed       undecodable packets and ill-formed UTF-8 end the connection
 * provisioning      (when the server provisions) a CONNECT with a DPS registration's user name takes
 *                   the connection over and the device handlers below leave; otherwise it leaves
 * connect           CONNECT → authentication (virtual thread) → session, CONNACK, credential expiry
 * telemetry         PUBLISH device → cloud (telemetry, edge posture), PUBACK once durable and in order,
 *                   inbound window
 * subscriptions     SUBSCRIBE / UNSUBSCRIBE of the allowed filters (an edge's: also its leaves' inboxes)
 * inbox             inbox → device deliveries (every subscribed inbox, in turn) and their PUBACKs
 * control           PINGREQ, DISCONNECT, protocol errors, keep-alive timeout, errors
 * </pre>
 *
 * Every handler is created per connection; they share the connection's {@link MqttConnection}.
 */
final class MqttPipeline extends ChannelInitializer<SocketChannel> {
  /** Bounds how long a revoked or refused client can delay the close by not reading. */
  private static final long CLOSE_NOTIFY_FLUSH_TIMEOUT_MILLIS = 1000;
  /** Client ids are device ids, at most 128 characters; longer ones are refused after decoding. */
  private static final int MAX_CLIENT_ID_LENGTH = 1024;
  /** Ill-formed UTF-8 makes a packet malformed (MQTT-1.5.4-1) instead of being replaced with U+FFFD. */
  private static final boolean STRICT_UTF8 = true;

  private final MqttServerConfig config;
  private final ServerTls tls;
  private final DeviceAuthenticator authenticator;
  private final TelemetryIngest telemetry;
  private final PublishRouter publishes;
  private final InboxService inbox;
  private final SessionRegistry sessions;
  private final AuditLog audit;
  private final Clock clock;
  private final Executor blocking;
  private final MqttRefusals refusals;
  private final ChannelGroup connections;
  private final MqttServer.Provisioning provisioning;

  MqttPipeline(MqttServerConfig config, ServerTls tls, DeviceAuthenticator authenticator, TelemetryIngest telemetry,
      PublishRouter publishes, InboxService inbox, SessionRegistry sessions, AuditLog audit, Clock clock,
      Executor blocking, MqttRefusals refusals, ChannelGroup connections, MqttServer.Provisioning provisioning) {
    this.provisioning = provisioning;
    this.config = config;
    this.tls = tls;
    this.authenticator = authenticator;
    this.telemetry = telemetry;
    this.publishes = publishes;
    this.inbox = inbox;
    this.sessions = sessions;
    this.audit = audit;
    this.clock = clock;
    this.blocking = blocking;
    this.refusals = refusals;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    connections.add(channel); // removed automatically on close; lets close() reach every connection
    MqttConnection connection = new MqttConnection(channel, refusals, audit);

    SslHandler sslHandler = tls.sslContext().newHandler(channel.alloc());
    sslHandler.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
    sslHandler.setCloseNotifyFlushTimeoutMillis(CLOSE_NOTIFY_FLUSH_TIMEOUT_MILLIS);
    ConnectHandler.Settings connectSettings =
        new ConnectHandler.Settings(config.maxPacketBytes(), config.receiveMaximum(), config.edgeReceiveMaximum(),
            config.maxKeepAlive());

    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("tls", sslHandler);
    pipeline.addLast("connect-deadline", new ConnectDeadlineHandler(config.connectTimeout(), connection));
    pipeline.addLast("frame-limit", new FrameLimitDecoder(config.maxPacketBytes(), connection::framingViolation));
    pipeline.addLast("protocol-gate", new ProtocolGate(connection));
    pipeline.addLast("decoder", new MqttDecoder(config.maxPacketBytes(), MAX_CLIENT_ID_LENGTH, STRICT_UTF8));
    pipeline.addLast("encoder", MqttEncoder.INSTANCE);
    pipeline.addLast("well-formed", new WellFormedPacketHandler(connection));
    if (provisioning != null) {
      pipeline.addLast("provisioning", new ProvisioningSessionHandler(provisioning.service(), provisioning.answers(),
          provisioning.json(), blocking, connection, config.maxKeepAlive()));
    }
    pipeline.addLast("connect", new ConnectHandler(authenticator, sessions, blocking, connection, connectSettings, clock));
    pipeline.addLast("telemetry", new TelemetryHandler(telemetry, publishes, connection));
    pipeline.addLast("subscriptions", new SubscriptionHandler(connection, inbox));
    pipeline.addLast("inbox", new InboxDeliveryHandler(inbox, connection, config.outboundWindow()));
    pipeline.addLast("control", new ControlHandler(connection));
  }

  /** Keep-alive is known only from CONNECT, so its handler joins the pipeline then. */
  static void startKeepAlive(ChannelPipeline pipeline, Duration timeout) {
    pipeline.addAfter("tls", "keep-alive", new IdleStateHandler(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
  }
}
