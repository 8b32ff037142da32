package io.gatehouse.server.mqtt;

import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.device.DeviceAuthenticator;
import io.gatehouse.server.device.SessionRegistry;
import io.gatehouse.server.device.TelemetryIngest;
import io.gatehouse.server.inbox.InboxService;
import io.gatehouse.server.posture.PostureIngest;
import io.gatehouse.server.tls.ServerTls;
import io.gatehouse.server.transport.ServerLoops;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT device endpoint (MQTT 3.1.1 and 5 over TLS, Azure IoT Hub's device protocol), so that
 * devices built with the Azure IoT device SDKs connect unmodified. TLS is not optional.
 *
 * <pre>{@code
 * ServerTls tls = new ServerTls(material, new ServerTls.Options(ClientAuth.OPTIONAL, ProviderChoice.AUTO));
 * try (MqttServer mqtt = new MqttServer(MqttServerConfig.defaults(new InetSocketAddress(8883)), tls,
 *     authenticator, telemetry, postures, inbox, sessions, audit, clock).start()) {
 *   int port = mqtt.port();
 * } // close(): stop accepting, let publishes in flight become durable and be acknowledged, disconnect
 * }</pre>
 */
public final class MqttServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttServer.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final MqttServerConfig config;
  private final ServerTls tls;
  private final DeviceAuthenticator authenticator;
  private final TelemetryIngest telemetry;
  private final PublishRouter publishes;
  private final InboxService inbox;
  private final SessionRegistry sessions;
  private final AuditLog audit;
  private final Clock clock;
  private final MqttRefusals refusals = new MqttRefusals();
  private final ChannelGroup connections = new DefaultChannelGroup("gatehouse-mqtt", GlobalEventExecutor.INSTANCE);
  private final Object lock = new Object();
  /** Store calls (authentication, inbox) run here, never on an event loop. */
  private ExecutorService blocking;
  private Provisioning provisioning;
  private ServerLoops loops;
  private Channel serverChannel;
  private boolean closed;

  /**
   * @param tls should ask for client certificates ({@link ClientAuth#OPTIONAL}) for X.509 devices;
   *     with {@link ClientAuth#NONE} only SAS-token devices can connect
   */
  public MqttServer(MqttServerConfig config, ServerTls tls, DeviceAuthenticator authenticator,
      TelemetryIngest telemetry, PostureIngest postures, InboxService inbox, SessionRegistry sessions, AuditLog audit,
      Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.publishes = new PublishRouter(telemetry, Objects.requireNonNull(postures, "postures"));
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What the endpoint needs to serve Azure DPS over MQTT. */
  public record Provisioning(io.gatehouse.server.provisioning.ProvisioningService service,
      io.gatehouse.server.provisioning.DpsAnswers answers, io.gatehouse.server.http.JsonCodec json) {}

  /** Serves DPS registrations over MQTT too (a CONNECT with a registration's user name); call before {@link #start}. */
  public MqttServer provisioning(Provisioning dps) {
    synchronized (lock) {
      if (serverChannel != null) {
        throw new IllegalStateException("provisioning is configured before start");
      }
      this.provisioning = Objects.requireNonNull(dps, "dps");
    }
    return this;
  }

  /**
   * Binds and starts accepting; returns once the port is bound.
   *
   * @throws IllegalStateException if the address cannot be bound (the message says why), or if this
   *     server was started or closed before
   */
  public MqttServer start() {
    synchronized (lock) {
      if (closed || serverChannel != null) {
        throw new IllegalStateException("an MqttServer can be started once only");
      }
      if (tls.clientAuth() == ClientAuth.NONE) {
        log.warn("MQTT TLS does not ask for client certificates: only SAS-token devices can connect; use "
            + "ClientAuth.OPTIONAL to accept X.509 devices");
      }
      blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gatehouse-mqtt-store-", 0).factory());
      loops = new ServerLoops("gatehouse-mqtt", config.ioThreads());
      ChannelFuture bound = loops.bind(config.bindAddress(), new MqttPipeline(config, tls, authenticator, telemetry,
          publishes, inbox, sessions, audit, clock, blocking, refusals, connections, provisioning));
      if (!bound.isSuccess()) {
        closed = true;
        shutDownExecutors();
        throw new IllegalStateException("cannot listen for MQTT on " + config.bindAddress() + ": "
            + bound.cause().getMessage(), bound.cause());
      }
      serverChannel = bound.channel();
      log.info("MQTT device endpoint listening on {} ({} transport, TLS by {}, MQTT 3.1.1 and 5)", localAddress(),
          loops.transport().name(), tls.providerDescription());
      return this;
    }
  }

  /** The bound address; with port 0 in the configuration, this has the port actually chosen. */
  public InetSocketAddress localAddress() {
    synchronized (lock) {
      if (serverChannel == null) {
        throw new IllegalStateException("the MQTT server is not started");
      }
      return (InetSocketAddress) serverChannel.localAddress();
    }
  }

  public int port() {
    return localAddress().getPort();
  }

  /** Open connections, established or not. */
  public int connectionCount() {
    return connections.size();
  }

  /** Refusal counters, per reason, since start. */
  public MqttRefusals refusals() {
    return refusals;
  }

  /**
   * Stops accepting at once; asks every connection to stop reading, to finish acknowledging the
   * publishes already received once they are durable, and to disconnect (MQTT 5: DISCONNECT 0x8B
   * Server shutting down); waits up to the grace period, closes what is left, lets pending inbox
   * settlements finish, and stops the threads. Later calls do nothing.
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
      return;
    }
    listening.close().awaitUninterruptibly();
    for (Channel connection : connections) {
      connection.eventLoop().execute(() -> connection.pipeline().fireUserEventTriggered(MqttEvent.SHUTDOWN));
    }
    if (!connections.newCloseFuture().awaitUninterruptibly(config.shutdownGracePeriod().toMillis())) {
      log.warn("{} MQTT connection(s) still open after the {} ms grace period; closing them", connections.size(),
          config.shutdownGracePeriod().toMillis());
    }
    connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    shutDownExecutors();
    log.info("MQTT device endpoint on {} stopped", listening.localAddress());
  }

  private void shutDownExecutors() {
    // Inbox settlements (abandon on disconnect) queued by the closed connections finish before the
    // store can be closed; they may still hop back to an event loop, so those stop after.
    blocking.shutdown();
    try {
      if (!blocking.awaitTermination(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("MQTT store calls still running after {} s", SHUTDOWN_TIMEOUT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loops.shutDown();
  }
}
