package io.gatehouse.server.mqtt;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of the MQTT device endpoint.
 *
 * @param maxPacketBytes largest MQTT packet accepted (fixed header included); larger ones are
 *     refused from their fixed header, before their body is buffered
 * @param handshakeTimeout the TLS handshake must complete within this
 * @param connectTimeout after the handshake, CONNECT must arrive and be answered within this
 * @param receiveMaximum QoS 0/1 publishes a connection may have waiting for durability before the
 *     server stops reading from it; announced to MQTT 5 clients as Receive Maximum
 * @param edgeReceiveMaximum the same for a field gateway's uplink, which carries every leaf of a
 *     site on one connection: with a device's small window its throughput would be one window per
 *     round trip through the group commit. Still bounded (this many packets of at most
 *     {@code maxPacketBytes}), and only registered edges get it
 * @param outboundWindow inbox messages delivered to one device and not yet acknowledged, at most
 * @param maxKeepAlive the longest keep-alive honoured, and the one used when a client asks for 0
 *     (Azure's 1177 s); the connection is closed after 1.5 times the keep-alive without a packet
 * @param shutdownGracePeriod on close, how long connections get to finish acknowledging
 * @param ioThreads event-loop threads for connections (0: one per processor)
 */
public record MqttServerConfig(InetSocketAddress bindAddress, int maxPacketBytes, Duration handshakeTimeout,
    Duration connectTimeout, int receiveMaximum, int edgeReceiveMaximum, int outboundWindow, Duration maxKeepAlive,
    Duration shutdownGracePeriod, int ioThreads) {
  public static final int DEFAULT_PORT = 8883;
  public static final int DEFAULT_MAX_PACKET_BYTES = 256 * 1024;
  public static final Duration AZURE_MAX_KEEP_ALIVE = Duration.ofSeconds(1177);

  public MqttServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    requirePositive(handshakeTimeout, "handshakeTimeout");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(maxKeepAlive, "maxKeepAlive");
    Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
    if (maxPacketBytes < 1024 || maxPacketBytes > 268_435_455) {
      throw new IllegalArgumentException("maxPacketBytes must be 1 KiB to 256 MiB, got " + maxPacketBytes);
    }
    if (receiveMaximum < 1 || receiveMaximum > 65_535) {
      throw new IllegalArgumentException("receiveMaximum must be 1 to 65535, got " + receiveMaximum);
    }
    if (edgeReceiveMaximum < 1 || edgeReceiveMaximum > 65_535) {
      throw new IllegalArgumentException("edgeReceiveMaximum must be 1 to 65535, got " + edgeReceiveMaximum);
    }
    if (outboundWindow < 1 || outboundWindow > 65_535) {
      throw new IllegalArgumentException("outboundWindow must be 1 to 65535, got " + outboundWindow);
    }
    if (maxKeepAlive.toSeconds() > 65_535) {
      throw new IllegalArgumentException("maxKeepAlive must be at most 65535 s, got " + maxKeepAlive.toSeconds());
    }
    if (ioThreads < 0) {
      throw new IllegalArgumentException("ioThreads must not be negative");
    }
  }

  public static MqttServerConfig defaults(InetSocketAddress bindAddress) {
    return new MqttServerConfig(bindAddress, DEFAULT_MAX_PACKET_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(10),
        64, 512, 16, AZURE_MAX_KEEP_ALIVE, Duration.ofSeconds(5), 0);
  }

  public MqttServerConfig withConnectTimeout(Duration timeout) {
    return new MqttServerConfig(bindAddress, maxPacketBytes, handshakeTimeout, timeout, receiveMaximum,
        edgeReceiveMaximum, outboundWindow, maxKeepAlive, shutdownGracePeriod, ioThreads);
  }

  public MqttServerConfig withMaxPacketBytes(int bytes) {
    return new MqttServerConfig(bindAddress, bytes, handshakeTimeout, connectTimeout, receiveMaximum,
        edgeReceiveMaximum, outboundWindow, maxKeepAlive, shutdownGracePeriod, ioThreads);
  }

  public MqttServerConfig withWindows(int inbound, int outbound) {
    return new MqttServerConfig(bindAddress, maxPacketBytes, handshakeTimeout, connectTimeout, inbound,
        edgeReceiveMaximum, outbound, maxKeepAlive, shutdownGracePeriod, ioThreads);
  }

  public MqttServerConfig withEdgeReceiveMaximum(int edgeWindow) {
    return new MqttServerConfig(bindAddress, maxPacketBytes, handshakeTimeout, connectTimeout, receiveMaximum,
        edgeWindow, outboundWindow, maxKeepAlive, shutdownGracePeriod, ioThreads);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
