package io.gatehouse.edge.local.mqtt;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Addresses, limits and timeouts of the local MQTT endpoint for leaves.
 *
 * @param bindAddresses the LAN addresses to listen on (plain MQTT, no TLS); the endpoint refuses to
 *     start with none, and listens on every interface only if a wildcard address is given explicitly
 * @param maxPacketBytes largest MQTT packet accepted (fixed header included); larger ones are refused
 *     from their fixed header, before their body is buffered
 * @param connectTimeout CONNECT must arrive and be answered within this after the TCP connection opens
 * @param maxKeepAlive the longest keep-alive honoured, and the one used when a client asks for 0; the
 *     connection closes after 1.5 times the keep-alive without a packet
 * @param inboundWindow publishes of one connection awaiting the sink before reading stops; announced
 *     to MQTT 5 clients as Receive Maximum
 * @param outboundQueue commands queued for one leaf (not yet sent) before {@code deliver} fails
 * @param outboundWindow commands sent to one leaf and awaiting its PUBACK, at most
 * @param ackTimeout how long a command waits for the leaf's PUBACK before its future fails
 * @param ioThreads event-loop threads (accepting and connections)
 */
public record LocalMqttConfig(List<InetSocketAddress> bindAddresses, int maxPacketBytes, Duration connectTimeout,
    Duration maxKeepAlive, int inboundWindow, int outboundQueue, int outboundWindow, Duration ackTimeout,
    int ioThreads) {
  public static final int DEFAULT_PORT = 1883;
  public static final int DEFAULT_MAX_PACKET_BYTES = 64 * 1024;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public LocalMqttConfig {
    bindAddresses = List.copyOf(Objects.requireNonNull(bindAddresses, "bindAddresses"));
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(maxKeepAlive, "maxKeepAlive");
    requirePositive(ackTimeout, "ackTimeout");
    if (maxPacketBytes < 128 || maxPacketBytes > 268_435_455) {
      throw new IllegalArgumentException("maxPacketBytes must be 128 B to 256 MiB, got " + maxPacketBytes);
    }
    if (maxKeepAlive.toSeconds() > 65_535) {
      throw new IllegalArgumentException("maxKeepAlive must be at most 65535 s, got " + maxKeepAlive.toSeconds());
    }
    requireRange(inboundWindow, "inboundWindow");
    requireRange(outboundQueue, "outboundQueue");
    requireRange(outboundWindow, "outboundWindow");
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
    }
  }

  /** 64 KiB packets, CONNECT within 10 s, keep-alive up to 300 s, small windows, two I/O threads. */
  public static LocalMqttConfig defaults(List<InetSocketAddress> bindAddresses) {
    return new LocalMqttConfig(bindAddresses, DEFAULT_MAX_PACKET_BYTES, DEFAULT_CONNECT_TIMEOUT,
        Duration.ofSeconds(300), 16, 64, 8, Duration.ofSeconds(30), 2);
  }

  public LocalMqttConfig withMaxPacketBytes(int bytes) {
    return new LocalMqttConfig(bindAddresses, bytes, connectTimeout, maxKeepAlive, inboundWindow, outboundQueue,
        outboundWindow, ackTimeout, ioThreads);
  }

  public LocalMqttConfig withConnectTimeout(Duration timeout) {
    return new LocalMqttConfig(bindAddresses, maxPacketBytes, timeout, maxKeepAlive, inboundWindow, outboundQueue,
        outboundWindow, ackTimeout, ioThreads);
  }

  public LocalMqttConfig withWindows(int inbound, int queue, int outbound) {
    return new LocalMqttConfig(bindAddresses, maxPacketBytes, connectTimeout, maxKeepAlive, inbound, queue, outbound,
        ackTimeout, ioThreads);
  }

  public LocalMqttConfig withAckTimeout(Duration timeout) {
    return new LocalMqttConfig(bindAddresses, maxPacketBytes, connectTimeout, maxKeepAlive, inboundWindow,
        outboundQueue, outboundWindow, timeout, ioThreads);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  private static void requireRange(int value, String name) {
    if (value < 1 || value > 65_535) {
      throw new IllegalArgumentException(name + " must be 1 to 65535, got " + value);
    }
  }
}
