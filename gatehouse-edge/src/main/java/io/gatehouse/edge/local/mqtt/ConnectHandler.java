package io.gatehouse.edge.local.mqtt;

import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafCredentials;
import io.gatehouse.edge.local.mqtt.LeafConnection.ClientLimits;
import io.gatehouse.mqtt.KeepAlive;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a CONNECT into a leaf session: the client id must be a leaf id, the username the same id and
 * the password its local credential (cheap checks first, then one constant-time comparison).
 * Refusals get the CONNACK code of the client's version and are reported to the sink. An accepted
 * leaf is registered (an older connection of the same leaf is taken over), gets its CONNACK and
 * keep-alive, and is reported connected; when the connection ends it is reported disconnected.
 */
final class ConnectHandler extends ChannelInboundHandlerAdapter {
  /** What this handler needs from the configuration. */
  record Settings(int maxPacketBytes, int receiveMaximum, Duration maxKeepAlive) {}

  private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);

  private final LeafCredentials credentials;
  private final LeafRegistry registry;
  private final GuardedSink sink;
  private final LeafOutbox outbox;
  private final LeafConnection connection;
  private final Settings settings;
  private ConnectedLeaf registered;

  ConnectHandler(LeafCredentials credentials, LeafRegistry registry, GuardedSink sink, LeafOutbox outbox,
      LeafConnection connection, Settings settings) {
    this.credentials = credentials;
    this.registry = registry;
    this.sink = sink;
    this.outbox = outbox;
    this.connection = connection;
    this.settings = settings;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (registered != null) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!(msg instanceof MqttConnectMessage connect)) {
      log.info("leaf connection closed: first packet is not CONNECT conn={} source={}", connection.id(),
          connection.remoteAddress());
      ReferenceCountUtil.release(msg);
      connection.close();
      return;
    }
    boolean v5 = connect.variableHeader().version() == 5;
    String clientId = connect.payload().clientIdentifier() == null ? "" : connect.payload().clientIdentifier();
    connection.connecting(v5, clientId);
    ConnectRefusal refusal = check(connect, clientId);
    if (refusal != null) {
      refuse(refusal, clientId);
    } else {
      establish(ctx, connect, clientId);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (registered != null) {
      boolean last = registry.unregister(registered);
      log.info("leaf disconnected conn={} leaf={} takenOver={}", connection.id(), registered.leafId(), !last);
      if (last) {
        sink.leafDisconnected(registered.leafId());
      }
    }
    ctx.fireChannelInactive();
  }

  /** Returns why the CONNECT is refused, or null if the leaf is who it says. */
  private ConnectRefusal check(MqttConnectMessage connect, String clientId) {
    int version = connect.variableHeader().version();
    if (version != 4 && version != 5) {
      return ConnectRefusal.UNSUPPORTED_VERSION;
    }
    try {
      LeafCredentials.checkLeafId(clientId);
    } catch (IllegalArgumentException e) {
      return ConnectRefusal.CLIENT_ID_INVALID;
    }
    if (connection.isV5()
        && connect.variableHeader().properties().getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
      return ConnectRefusal.BAD_AUTHENTICATION_METHOD;
    }
    MqttConnectPayload payload = connect.payload();
    if (!connect.variableHeader().hasUserName() || !connect.variableHeader().hasPassword()
        || payload.userName() == null || payload.passwordInBytes() == null) {
      return ConnectRefusal.NO_CREDENTIALS;
    }
    if (!payload.userName().equals(clientId)) {
      return ConnectRefusal.USERNAME_MISMATCH;
    }
    return switch (credentials.check(clientId, payload.passwordInBytes())) {
      case ACCEPTED -> null;
      case UNKNOWN_LEAF -> ConnectRefusal.UNKNOWN_LEAF;
      case WRONG_PASSWORD -> ConnectRefusal.WRONG_PASSWORD;
    };
  }

  private void refuse(ConnectRefusal refusal, String clientId) {
    MqttConnectReturnCode code = refusal.code(connection.isV5());
    log.warn("leaf refused conn={} client={} reason=\"{}\" code=0x{} source={}", connection.id(), clientId,
        refusal.reason(), Integer.toHexString(code.byteValue() & 0xff), connection.remoteAddress());
    sink.unknownLeaf(clientId, refusal.reason(), connection.remoteAddress());
    connection.closeAfter(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build());
  }

  private void establish(ChannelHandlerContext ctx, MqttConnectMessage connect, String leafId) {
    MqttProperties requested = connect.variableHeader().properties();
    connection.establish(leafId, connection.isV5()
        ? new ClientLimits(intProperty(requested, MqttProperties.RECEIVE_MAXIMUM, 65_535),
            intProperty(requested, MqttProperties.MAXIMUM_PACKET_SIZE, 268_435_460))
        : ClientLimits.UNANNOUNCED);
    registered = new ConnectedLeaf(leafId, connection, outbox);
    registry.register(registered).ifPresent(this::takeOver);
    int requestedKeepAlive = connect.variableHeader().keepAliveTimeSeconds();
    int keepAlive = KeepAlive.granted(requestedKeepAlive, settings.maxKeepAlive());
    ctx.writeAndFlush(connAck(keepAlive != requestedKeepAlive, keepAlive,
        requested.getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL) != null));
    ctx.pipeline().addFirst("keep-alive", new IdleStateHandler(KeepAlive.enforcedAfter(keepAlive).toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    log.info("leaf connected conn={} leaf={} version={} keepAlive={}s will={} source={}", connection.id(), leafId,
        connection.isV5() ? "5" : "3.1.1", keepAlive, connect.variableHeader().isWillFlag() ? "ignored" : "none",
        connection.remoteAddress());
    sink.leafConnected(leafId);
    ctx.pipeline().fireUserEventTriggered(LeafEvent.SESSION_ESTABLISHED);
  }

  private void takeOver(ConnectedLeaf previous) {
    LeafConnection old = previous.connection();
    String detail = "another connection of leaf " + previous.leafId() + " took over (conn=" + connection.id() + ")";
    try {
      old.channel().eventLoop().execute(() -> old.terminate(Disconnect.SESSION_TAKEN_OVER, detail));
    } catch (RejectedExecutionException e) {
      old.channel().close();
    }
  }

  private MqttConnAckMessage connAck(boolean keepAliveChanged, int keepAlive, boolean sessionExpiryRequested) {
    MqttProperties properties = new MqttProperties();
    if (connection.isV5()) {
      add(properties, MqttProperties.MAXIMUM_PACKET_SIZE, settings.maxPacketBytes());
      add(properties, MqttProperties.RECEIVE_MAXIMUM, settings.receiveMaximum());
      add(properties, MqttProperties.MAXIMUM_QOS, 1);
      add(properties, MqttProperties.RETAIN_AVAILABLE, 0);
      add(properties, MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 0);
      add(properties, MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0);
      add(properties, MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0);
      add(properties, MqttProperties.TOPIC_ALIAS_MAXIMUM, 0);
      if (keepAliveChanged) {
        add(properties, MqttProperties.SERVER_KEEP_ALIVE, keepAlive);
      }
      if (sessionExpiryRequested) {
        add(properties, MqttProperties.SESSION_EXPIRY_INTERVAL, 0); // subscriptions live with the connection
      }
    }
    return MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
        .sessionPresent(false).properties(properties).build();
  }


  private static int intProperty(MqttProperties properties, int propertyId, int absent) {
    MqttProperty<?> property = properties.getProperty(propertyId);
    return property != null && property.value() instanceof Integer value ? value : absent;
  }

  private static void add(MqttProperties properties, int propertyId, int value) {
    properties.add(new IntegerProperty(propertyId, value));
  }
}
