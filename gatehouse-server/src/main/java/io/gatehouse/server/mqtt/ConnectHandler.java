package io.gatehouse.server.mqtt;

import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.mqtt.KeepAlive;
import io.gatehouse.server.device.AuthenticatedDevice;
import io.gatehouse.server.device.DeviceAuthException;
import io.gatehouse.server.device.DeviceAuthenticator;
import io.gatehouse.server.device.DeviceSession.TerminationReason;
import io.gatehouse.server.device.SessionRegistry;
import io.gatehouse.server.mqtt.MqttConnection.CloseCause;
import io.gatehouse.server.mqtt.MqttConnection.ReadPause;
import io.gatehouse.server.transport.PeerCertificates;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a CONNECT into a session: checks it, authenticates the device off the event loop (the
 * authenticator blocks on the store and audits), registers the session (an older one of the same
 * device is taken over), answers CONNACK, starts keep-alive, and ends the session when its
 * credential expires. Packets that arrive while the device is being authenticated wait here (reading
 * is paused meanwhile, so they are few) and are passed on once the session is established.
 */
final class ConnectHandler extends ChannelInboundHandlerAdapter {
  /** Settings this handler needs from the server configuration. */
  record Settings(int maxPacketBytes, int receiveMaximum, int edgeReceiveMaximum, Duration maxKeepAlive) {
    int receiveMaximumFor(AuthenticatedDevice device) {
      return device.device().kind() == IdentityKind.EDGE ? edgeReceiveMaximum : receiveMaximum;
    }
  }

  private enum Phase { AWAITING_CONNECT, AUTHENTICATING, ESTABLISHED }

  private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);
  private static final int MAX_EARLY_PACKETS = 64;

  private final DeviceAuthenticator authenticator;
  private final SessionRegistry sessions;
  private final Executor blocking;
  private final MqttConnection connection;
  private final Settings settings;
  private final Clock clock;
  private final ArrayDeque<Object> early = new ArrayDeque<>();
  private Phase phase = Phase.AWAITING_CONNECT;
  private MqttSession session;
  private ScheduledFuture<?> expiry;

  ConnectHandler(DeviceAuthenticator authenticator, SessionRegistry sessions, Executor blocking,
      MqttConnection connection, Settings settings, Clock clock) {
    this.authenticator = authenticator;
    this.sessions = sessions;
    this.blocking = blocking;
    this.connection = connection;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (phase) {
      case ESTABLISHED -> ctx.fireChannelRead(msg);
      case AUTHENTICATING -> holdEarly(msg);
      case AWAITING_CONNECT -> {
        // ProtocolGate lets nothing but a CONNECT be the first packet.
        MqttConnectMessage connect = (MqttConnectMessage) msg;
        phase = Phase.AUTHENTICATING;
        connection.pauseReading(ReadPause.AUTHENTICATING);
        connect(ctx, connect);
      }
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == MqttEvent.SHUTDOWN && phase != Phase.ESTABLISHED) {
      connection.close(CloseCause.SERVER_TERMINATED);
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    early.forEach(ReferenceCountUtil::release);
    early.clear();
    if (expiry != null) {
      expiry.cancel(false);
    }
    if (session != null) {
      sessions.unregister(session);
      log.info("mqtt disconnected conn={} device={} cause={}", connection.id(), connection.deviceId(),
          connection.closeCause());
      connection.auditDisconnect();
    }
    ctx.fireChannelInactive();
  }

  private void holdEarly(Object msg) {
    if (early.size() >= MAX_EARLY_PACKETS) {
      ReferenceCountUtil.release(msg);
      connection.refuse(MqttRefusal.PROTOCOL_ERROR, "mqtt.protocol",
          "more than " + MAX_EARLY_PACKETS + " packets before CONNACK");
      connection.close(CloseCause.PROTOCOL_VIOLATION);
      return;
    }
    early.add(msg);
  }

  private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
    ConnectRequest request;
    connection.connecting(connect.variableHeader().version() == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1,
        connect.payload().clientIdentifier());
    try {
      request = ConnectRequest.parse(connect, PeerCertificates.presented(ctx));
    } catch (ConnectRequest.Invalid e) {
      connection.refuse(MqttRefusal.CONNECT_INVALID, "mqtt.connect", e.getMessage());
      refuse(e.refusal());
      return;
    }
    String source = connection.source();
    try {
      long generation = sessions.revocationGeneration(request.clientId());
      blocking.execute(() -> authenticate(ctx, request, source, generation));
    } catch (RejectedExecutionException e) {
      refuse(ConnectRefusal.SERVER_UNAVAILABLE); // the server is closing
    }
  }

  /** Runs on a virtual thread. */
  private void authenticate(ChannelHandlerContext ctx, ConnectRequest request, String source, long generation) {
    Runnable outcome;
    try {
      AuthenticatedDevice device = authenticator.authenticate(request.credential(), "mqtt.connect", source, true);
      outcome = () -> established(ctx, request, device, generation);
    } catch (DeviceAuthException e) {
      // The authenticator wrote the audit line with the precise reason; the device gets only the code.
      outcome = () -> {
        connection.count(MqttRefusal.AUTHENTICATION_FAILED, e.reason().name());
        refuse(ConnectRefusal.of(e.reason()));
      };
    } catch (RuntimeException e) {
      log.warn("mqtt authentication failed conn={} device={}: {}", connection.id(), request.clientId(), e.toString());
      outcome = () -> refuse(ConnectRefusal.SERVER_UNAVAILABLE);
    }
    try {
      ctx.executor().execute(outcome);
    } catch (RejectedExecutionException e) {
      ctx.channel().close();
    }
  }

  private void established(ChannelHandlerContext ctx, ConnectRequest request, AuthenticatedDevice device,
      long generation) {
    if (!ctx.channel().isActive() || connection.isClosing()) {
      return;
    }
    connection.establish(device, request.limits(), request.will(), settings.receiveMaximumFor(device));
    session = new MqttSession(device.id(), connection);
    sessions.register(session, generation); // ends an older session (takeover); revoked meanwhile → ends this one
    phase = Phase.ESTABLISHED;
    int keepAlive = KeepAlive.granted(request.keepAliveSeconds(), settings.maxKeepAlive());
    ctx.writeAndFlush(connAck(request, keepAlive));
    scheduleExpiry(ctx, device);
    MqttPipeline.startKeepAlive(ctx.pipeline(), KeepAlive.enforcedAfter(keepAlive));
    log.info("mqtt connected conn={} device={} version={} auth={} keepAlive={}s source={}", connection.id(),
        device.id(), request.version(), device.method(), keepAlive, connection.source());
    ctx.pipeline().fireUserEventTriggered(MqttEvent.SESSION_ESTABLISHED);
    while (!early.isEmpty()) {
      Object msg = early.poll();
      if (connection.isClosing()) {
        ReferenceCountUtil.release(msg);
      } else {
        ctx.fireChannelRead(msg);
      }
    }
    connection.resumeReading(ReadPause.AUTHENTICATING);
  }

  private void refuse(ConnectRefusal refusal) {
    MqttConnAckMessage connAck = MqttMessageBuilders.connAck().returnCode(refusal.code(connection.isV5()))
        .sessionPresent(false).build();
    connection.closeAfter(connAck, CloseCause.PROTOCOL_VIOLATION);
  }

  private MqttConnAckMessage connAck(ConnectRequest request, int keepAlive) {
    MqttProperties properties = new MqttProperties();
    if (connection.isV5()) {
      add(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE, settings.maxPacketBytes());
      add(properties, MqttPropertyType.RECEIVE_MAXIMUM, connection.inboundWindow());
      add(properties, MqttPropertyType.MAXIMUM_QOS, 1);
      add(properties, MqttPropertyType.RETAIN_AVAILABLE, 0);
      // Announced because Azure's own C2D filter (…/devicebound/#) is a wildcard and a strict client
      // would not send it otherwise; any other filter is still refused with 0x87.
      add(properties, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
      add(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0);
      add(properties, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 0);
      add(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 0);
      if (keepAlive != request.keepAliveSeconds()) {
        add(properties, MqttPropertyType.SERVER_KEEP_ALIVE, keepAlive);
      }
      if (request.sessionExpiryRequested()) {
        // Subscriptions live only as long as the connection; the inbox itself is durable.
        add(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0);
      }
    }
    return MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
        .sessionPresent(false).properties(properties).build();
  }


  private void scheduleExpiry(ChannelHandlerContext ctx, AuthenticatedDevice device) {
    long delayMillis = Math.max(0, Duration.between(clock.instant(), device.credentialExpiry()).toMillis());
    MqttSession current = session;
    expiry = ctx.executor().schedule(() -> current.terminate(TerminationReason.CREDENTIAL_EXPIRED), delayMillis,
        TimeUnit.MILLISECONDS);
  }


  private static void add(MqttProperties properties, MqttPropertyType type, int value) {
    properties.add(new IntegerProperty(type.value(), value));
  }
}
