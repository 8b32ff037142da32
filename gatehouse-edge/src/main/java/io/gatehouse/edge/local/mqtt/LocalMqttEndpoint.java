package io.gatehouse.edge.local.mqtt;

import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafAdapter;
import io.gatehouse.edge.local.LeafCredentials;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafSink;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local MQTT endpoint for leaves: MQTT 3.1.1 and 5 in plain TCP (leaves cannot afford TLS),
 * listening only on the configured LAN addresses. A leaf connects with client id and username set
 * to its leaf id and its local password, publishes to {@code leaves/{id}/telemetry} (QoS 0 or 1) and
 * subscribes to {@code leaves/{id}/commands}. See {@link LocalMqttPipeline} for the connection's life.
 *
 * <p>Deliberately not offered: TLS, QoS 2, retained messages, wills (accepted in CONNECT but never
 * published), wildcard or shared subscriptions, persistent sessions (subscriptions live as long as
 * the connection; CONNACK never reports a session present).
 *
 * <pre>{@code
 * try (LeafAdapter mqtt = new LocalMqttEndpoint(
 *     LocalMqttConfig.defaults(List.of(new InetSocketAddress("192.168.1.10", 1883))), credentials, sink)) {
 *   mqtt.start();
 *   mqtt.deliver("pump-7", command).join();
 * }
 * }</pre>
 */
public final class LocalMqttEndpoint implements LeafAdapter {
  private static final Logger log = LoggerFactory.getLogger(LocalMqttEndpoint.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final LocalMqttConfig config;
  private final LeafCredentials credentials;
  private final GuardedSink sink;
  private final LeafRegistry registry = new LeafRegistry();
  private final ChannelGroup connections = new DefaultChannelGroup("gatehouse-leaf-mqtt", GlobalEventExecutor.INSTANCE);
  private final Object lock = new Object();
  private final List<Channel> listeners = new ArrayList<>();
  private EventLoopGroup loops;
  private boolean started;
  private boolean closed;

  public LocalMqttEndpoint(LocalMqttConfig config, LeafCredentials credentials, LeafSink sink) {
    this.config = Objects.requireNonNull(config, "config");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.sink = new GuardedSink(Objects.requireNonNull(sink, "sink"));
  }

  @Override
  public String name() {
    return "mqtt";
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        throw new IllegalStateException("a LocalMqttEndpoint can be started once only");
      }
      if (config.bindAddresses().isEmpty()) {
        throw new IllegalStateException("the local MQTT endpoint has no bind address: configure the LAN address(es) "
            + "leaves reach it on, e.g. 192.168.1.10:" + LocalMqttConfig.DEFAULT_PORT + " (0.0.0.0 listens on every "
            + "interface, including the uplink's, and must be chosen explicitly)");
      }
      started = true;
      loops = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("gatehouse-leaf-mqtt"),
          NioIoHandler.newFactory());
      ServerBootstrap bootstrap = new ServerBootstrap()
          .group(loops)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 128)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new LocalMqttPipeline(config, credentials, registry, sink, connections));
      for (InetSocketAddress address : config.bindAddresses()) {
        if (address.getAddress() != null && address.getAddress().isAnyLocalAddress()) {
          log.warn("local MQTT endpoint binds the wildcard address {}: plain MQTT without TLS is exposed on EVERY "
              + "interface, the uplink's included; bind the LAN address instead", address);
        }
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
          closed = true;
          stop();
          throw new IllegalStateException("cannot listen for leaves on " + address + ": " + bound.cause().getMessage()
              + " (is the address assigned to this host, and the port free?)", bound.cause());
        }
        listeners.add(bound.channel());
      }
      log.info("local MQTT endpoint listening addresses={} maxPacketBytes={} (MQTT 3.1.1 and 5, no TLS)",
          boundAddresses(), config.maxPacketBytes());
    }
  }

  @Override
  public List<InetSocketAddress> boundAddresses() {
    synchronized (lock) {
      return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }
  }

  @Override
  public CompletableFuture<Void> deliver(String leafId, byte[] payload) {
    Objects.requireNonNull(leafId, "leafId");
    Objects.requireNonNull(payload, "payload");
    Optional<ConnectedLeaf> leaf = registry.find(leafId);
    if (leaf.isEmpty()) {
      return CompletableFuture.failedFuture(new LeafDeliveryException(leafId, Reason.NOT_CONNECTED,
          "the leaf is not connected to the local MQTT endpoint; retry after it connects"));
    }
    byte[] copy = payload.clone();
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      leaf.get().connection().channel().eventLoop().execute(() -> leaf.get().outbox().offer(copy, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new LeafDeliveryException(leafId, Reason.ADAPTER_CLOSED,
          "the local MQTT endpoint is closing"));
    }
    return result;
  }

  /** Leaves connected now. */
  public int connectedLeaves() {
    return registry.size();
  }

  /**
   * Stops accepting, closes every connection (commands not yet acknowledged fail with
   * CONNECTION_LOST; publishes not yet durable are not acknowledged, so leaves send them again) and
   * stops the threads. Later calls do nothing.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (started) {
        stop();
        log.info("local MQTT endpoint stopped");
      }
    }
  }

  private void stop() {
    listeners.forEach(c -> c.close().awaitUninterruptibly());
    listeners.clear();
    connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    loops.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    loops.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
