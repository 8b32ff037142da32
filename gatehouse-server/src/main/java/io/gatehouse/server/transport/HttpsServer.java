package io.gatehouse.server.transport;

import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.RejectedRequestListener;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener of the service API. TLS is not optional: the only pipeline there is starts
 * with TLS, so no plaintext listener can be made from this class.
 *
 * <pre>{@code
 * try (HttpsServer server = new HttpsServer(config, tls, router, json, listener).start()) {
 *   int port = server.port();
 *   ...
 * } // close(): stop accepting, let in-flight requests finish (grace period), close connections
 * }</pre>
 */
public final class HttpsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpsServer.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final HttpsServerConfig config;
  private final ServerTls tls;
  private final Router router;
  private final JsonCodec json;
  private final Rejections rejections;
  private final HandlerPool pool;
  private final EventStreams streams;
  private final ChannelGroup connections = new DefaultChannelGroup("gatehouse-https", GlobalEventExecutor.INSTANCE);
  private final Object lock = new Object();
  private ServerLoops loops;
  private Channel serverChannel;
  private boolean closed;

  public HttpsServer(HttpsServerConfig config, ServerTls tls, Router router, JsonCodec json,
      RejectedRequestListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.router = Objects.requireNonNull(router, "router");
    this.json = Objects.requireNonNull(json, "json");
    this.rejections = new Rejections(Objects.requireNonNull(listener, "listener"));
    this.pool = new HandlerPool(config.maxInFlightRequests());
    this.streams = new EventStreams(config.maxInFlightRequests());
  }

  /**
   * Binds and starts accepting; returns once the port is bound.
   *
   * @throws IllegalStateException if the address cannot be bound (the message says why), or if
   *     this server was started or closed before
   */
  public HttpsServer start() {
    synchronized (lock) {
      if (closed || serverChannel != null) {
        throw new IllegalStateException("an HttpsServer can be started once only");
      }
      loops = new ServerLoops("gatehouse-https", config.ioThreads());
      ChannelFuture bound = loops.bind(config.bindAddress(), new HttpsPipeline(config, tls, router, json, pool,
          streams, rejections, connections));
      if (!bound.isSuccess()) {
        loops.shutDown();
        pool.close();
        streams.close(Duration.ZERO);
        closed = true;
        throw new IllegalStateException("cannot listen on " + config.bindAddress() + ": "
            + bound.cause().getMessage(), bound.cause());
      }
      serverChannel = bound.channel();
      log.info("HTTPS service API listening on {} ({} transport, TLS by {})", localAddress(), loops.transport().name(),
          tls.providerDescription());
      return this;
    }
  }

  /** The bound address; with port 0 in the configuration, this has the port actually chosen. */
  public InetSocketAddress localAddress() {
    synchronized (lock) {
      if (serverChannel == null) {
        throw new IllegalStateException("the server is not started");
      }
      return (InetSocketAddress) serverChannel.localAddress();
    }
  }

  public int port() {
    return localAddress().getPort();
  }

  /** "epoll" or "nio". */
  public String transportName() {
    synchronized (lock) {
      return loops == null ? "not started" : loops.transport().name();
    }
  }

  public ServerTls tls() {
    return tls;
  }

  /**
   * Stops accepting connections at once, ends every event stream (waiting up to the grace period for
   * their producers), answers requests arriving on open connections with 503, waits up to the grace
   * period for requests already running, then closes every connection and the event loops. Later
   * calls do nothing.
   */
  @Override
  public void close() {
    Channel listening;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      listening = serverChannel;
    }
    if (listening == null) {
      pool.close();
      streams.close(Duration.ZERO);
      return;
    }
    listening.close().awaitUninterruptibly();
    // Streams never end by themselves: end them now (their clients see a clean end and may reconnect
    // elsewhere) and wait for their producers, which may be reading the store the caller closes next.
    streams.close(config.shutdownGracePeriod());
    if (!pool.drain(config.shutdownGracePeriod())) {
      log.warn("{} request(s) still running after the {} ms grace period; interrupting them and closing their"
          + " connections", pool.inFlight(), config.shutdownGracePeriod().toMillis());
    }
    connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    pool.close();
    loops.shutDown();
    log.info("HTTPS service API on {} stopped", listening.localAddress());
  }
}
