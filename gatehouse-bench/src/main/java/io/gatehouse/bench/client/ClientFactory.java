package io.gatehouse.bench.client;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds simulated devices for one target endpoint. Every client shares one Netty event loop group
 * (see {@link Shared}), so ten thousand devices cost a few
 * threads, not ten thousand.
 *
 * <p>TLS: each HiveMQ client builds its own Netty/JDK {@code SslContext} on its first connect, so a
 * new client never has a session to resume; a client that reconnects does (the positive control in
 * the tests). {@link CountingTrustManagerFactory} counts the full handshakes.
 */
public final class ClientFactory {
  private final Shared shared;
  private final InetSocketAddress server;
  private final MqttClientSslConfig ssl;
  private final CountingTrustManagerFactory trust;
  private final MqttVersion version;
  private final int keepAliveSeconds;

  /**
   * @param tlsHost the name the server certificate is checked against (endpoint identification
   *     HTTPS); the connection itself always goes to 127.0.0.1
   */
  public ClientFactory(Shared shared, String tlsHost, int port, CountingTrustManagerFactory trust,
      MqttVersion version, int keepAliveSeconds) {
    this(shared, loopback(tlsHost, port), MqttClientSslConfig.builder().trustManagerFactory(trust)
        .protocols(List.of("TLSv1.3")).handshakeTimeout(30, TimeUnit.SECONDS).build(), trust, version,
        keepAliveSeconds);
  }

  private ClientFactory(Shared shared, InetSocketAddress server, MqttClientSslConfig ssl,
      CountingTrustManagerFactory trust, MqttVersion version, int keepAliveSeconds) {
    this.shared = shared;
    this.server = server;
    this.ssl = ssl;
    this.trust = trust;
    this.version = version;
    this.keepAliveSeconds = keepAliveSeconds;
  }

  /**
   * Plain MQTT (no TLS) to 127.0.0.1:{@code port}, with this factory's executor, version and
   * keep-alive: how leaves talk to a field gateway on the LAN. Its {@link #trust()} is null.
   */
  public ClientFactory plain(int port) {
    return new ClientFactory(shared, loopback("127.0.0.1", port), null, null, version, keepAliveSeconds);
  }

  private static InetSocketAddress loopback(String host, int port) {
    try {
      // Resolved up front to loopback: the host string only names the certificate, no lookup happens.
      return new InetSocketAddress(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public DeviceClient create(DeviceLogin login, byte[] telemetryPayload) {
    return switch (version) {
      case V3 -> new Mqtt3DeviceClient(login, server, ssl, shared.executor, telemetryPayload, keepAliveSeconds);
      case V5 -> new Mqtt5DeviceClient(login, server, ssl, shared.executor, telemetryPayload, keepAliveSeconds);
    };
  }

  /** Counts the TLS handshakes of this factory's clients; null for a {@link #plain} factory. */
  public CountingTrustManagerFactory trust() {
    return trust;
  }

  public MqttVersion version() {
    return version;
  }

  /**
   * The executor configuration every client of a run shares. HiveMQ's client keeps one Netty event
   * loop group per executor configuration, reference-counted by the connected clients, so all
   * simulated devices run on {@code nettyThreads} threads (Netty itself is not on the bench's compile
   * classpath, so the group is not built here).
   */
  public static final class Shared implements AutoCloseable {
    private final MqttClientExecutorConfig executor;
    private final int threads;

    public Shared(int nettyThreads) {
      this.threads = nettyThreads;
      com.hivemq.client.mqtt.MqttClientExecutorConfigBuilder builder = MqttClientExecutorConfig.builder().nettyThreads(nettyThreads);
      // Completion callbacks run on the event loop that read the PUBACK instead of being handed to
      // another thread pool: a third less generator CPU per message. The bench's callbacks only count
      // and record (never block). -Dbench.directCallbacks=false restores the client's default.
      if (!"false".equals(System.getProperty("bench.directCallbacks"))) {
        builder = builder.applicationScheduler(io.reactivex.schedulers.Schedulers.from(Runnable::run));
      }
      this.executor = builder.build();
    }

    public int threads() {
      return threads;
    }

    @Override
    public void close() {
      // the group is shut down by the client library when its last client disconnects
    }
  }
}
