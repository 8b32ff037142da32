package io.gatehouse.edge.local.coap;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Addresses, keys, limits and timeouts of the local CoAP endpoint for leaves.
 *
 * <p>In the edge's YAML config file the section reads as follows; only {@code bind} is required,
 * keys are kebab-case like those of the {@code pipeline} and {@code alarms} sections, durations are
 * written like {@code 500ms}, {@code 10s}, {@code 5m}, and an unknown key is an error that names it.
 * The PSKs are not part of the section: they come from the edge's secrets, by leaf id.
 *
 * <pre>{@code
 * coap:
 *   bind: ["192.168.1.10:5684", "[fd00::10]"]   # IP literals; the port defaults to 5684 (coaps)
 *   max-payload-bytes: 1024   # largest request body and command, 16 to 1024
 *   command-wait: 10s         # how long GET /commands (without Observe) waits for a command
 *   command-queue: 8          # commands queued per leaf before deliver() fails with QUEUE_FULL
 *   ack-timeout: 2s           # CoAP ACK_TIMEOUT: first wait for the leaf's ACK of a command
 *   max-retransmit: 4         # CoAP MAX_RETRANSMIT: resends of an unacknowledged command
 *   session-idle: 10m         # a leaf silent this long (and not asking for commands) counts as disconnected
 *   max-sessions: 512         # DTLS sessions (and CoAP peers) kept per bind address, at most
 *   io-threads: 2             # CoAP protocol threads
 * }</pre>
 *
 * @param bindAddresses the LAN addresses to listen on; the endpoint refuses to start with none, and
 *     listens on every interface only if a wildcard address is given explicitly
 * @param psks the leaves' DTLS pre-shared keys; the PSK identity is the leaf id
 * @param maxPayloadBytes largest request payload (4.13 beyond) and largest command; at most 1024 so
 *     that every message fits one datagram within the IPv6 minimum MTU of 1280 bytes
 * @param commandWait how long a GET of {@code /commands} without Observe waits for a command before it
 *     is answered with an empty 2.05; also how long a leaf that got a command that way stays "asking"
 *     before its next GET
 * @param commandQueue commands queued for one leaf (not yet sent) before {@code deliver} fails
 * @param ackTimeout the initial CoAP ACK_TIMEOUT for confirmable commands (RFC 7252 default 2 s); it
 *     doubles with each of the {@code maxRetransmit} resends
 * @param maxRetransmit how often an unacknowledged command is resent before its delivery fails
 * @param sessionIdle a leaf that has sent nothing for this long, and neither observes nor polls its
 *     commands, is reported disconnected (its DTLS session stays usable; its next request reports it
 *     connected again)
 * @param maxSessions DTLS connections kept per bind address (the least recently used idle one is
 *     evicted beyond), also the bound for CoAP peers and observations
 * @param ioThreads CoAP protocol threads (each bind address has one more DTLS receiver and worker)
 */
public record CoapConfig(List<InetSocketAddress> bindAddresses, LeafPsks psks, int maxPayloadBytes,
    Duration commandWait, int commandQueue, Duration ackTimeout, int maxRetransmit, Duration sessionIdle,
    int maxSessions, int ioThreads) {
  public static final int DEFAULT_PORT = 5684;
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024;
  public static final int MIN_PAYLOAD_BYTES = 16;
  public static final Duration DEFAULT_COMMAND_WAIT = Duration.ofSeconds(10);
  public static final int DEFAULT_COMMAND_QUEUE = 8;
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_RETRANSMIT = 4;
  public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_SESSIONS = 512;
  public static final int DEFAULT_IO_THREADS = 2;

  public CoapConfig {
    bindAddresses = List.copyOf(Objects.requireNonNull(bindAddresses, "bindAddresses"));
    for (InetSocketAddress address : bindAddresses) {
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("bind address " + address.getHostString() + " is not an IP address; "
            + "give the LAN address as an IP literal, e.g. 192.168.1.10:" + DEFAULT_PORT);
      }
    }
    Objects.requireNonNull(psks, "psks");
    requireRange("maxPayloadBytes", maxPayloadBytes, MIN_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES);
    requireRange("commandWait", commandWait, Duration.ofMillis(100), Duration.ofMinutes(5));
    requireRange("commandQueue", commandQueue, 1, 1024);
    requireRange("ackTimeout", ackTimeout, Duration.ofMillis(100), Duration.ofMinutes(1));
    requireRange("maxRetransmit", maxRetransmit, 0, 8);
    requireRange("sessionIdle", sessionIdle, Duration.ofSeconds(1), Duration.ofDays(1));
    requireRange("maxSessions", maxSessions, 1, 100_000);
    requireRange("ioThreads", ioThreads, 1, 64);
  }

  /** 1 KiB payloads, commands wait 10 s, 8 queued per leaf, RFC 7252 retransmission, 10 min idle. */
  public static CoapConfig defaults(List<InetSocketAddress> bindAddresses, LeafPsks psks) {
    return new CoapConfig(bindAddresses, psks, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_COMMAND_WAIT, DEFAULT_COMMAND_QUEUE,
        DEFAULT_ACK_TIMEOUT, DEFAULT_MAX_RETRANSMIT, DEFAULT_SESSION_IDLE, DEFAULT_MAX_SESSIONS, DEFAULT_IO_THREADS);
  }

  /**
   * Binds the {@code coap} section of the edge's config file (already parsed, see
   * {@link io.gatehouse.edge.pipeline.ConfigYaml#strictMapper()}); the layout is in the class comment.
   *
   * @param pskByLeaf the leaves' keys, from the edge's secrets rather than the config file
   * @throws IllegalArgumentException naming the key at fault and what is expected
   */
  public static CoapConfig fromTree(JsonNode coapSection, Map<String, byte[]> pskByLeaf) {
    return CoapSection.bind(coapSection, LeafPsks.of(pskByLeaf));
  }

  /**
   * How long a confirmable command can take at most before CoAP gives up (RFC 7252 MAX_TRANSMIT_SPAN
   * plus the wait for the last ACK): ackTimeout × 1.5 × (2^(maxRetransmit+1) − 1).
   */
  public Duration maxTransmitWait() {
    long factor = (1L << (maxRetransmit + 1)) - 1;
    return Duration.ofMillis(ackTimeout.toMillis() * 3 * factor / 2);
  }

  public CoapConfig withMaxPayloadBytes(int bytes) {
    return new CoapConfig(bindAddresses, psks, bytes, commandWait, commandQueue, ackTimeout, maxRetransmit,
        sessionIdle, maxSessions, ioThreads);
  }

  public CoapConfig withCommandWait(Duration wait) {
    return new CoapConfig(bindAddresses, psks, maxPayloadBytes, wait, commandQueue, ackTimeout, maxRetransmit,
        sessionIdle, maxSessions, ioThreads);
  }

  public CoapConfig withCommandQueue(int queue) {
    return new CoapConfig(bindAddresses, psks, maxPayloadBytes, commandWait, queue, ackTimeout, maxRetransmit,
        sessionIdle, maxSessions, ioThreads);
  }

  public CoapConfig withRetransmission(Duration initialAckTimeout, int retransmissions) {
    return new CoapConfig(bindAddresses, psks, maxPayloadBytes, commandWait, commandQueue, initialAckTimeout,
        retransmissions, sessionIdle, maxSessions, ioThreads);
  }

  public CoapConfig withSessionIdle(Duration idle) {
    return new CoapConfig(bindAddresses, psks, maxPayloadBytes, commandWait, commandQueue, ackTimeout, maxRetransmit,
        idle, maxSessions, ioThreads);
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
    }
  }

  private static void requireRange(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be " + text(min) + " to " + text(max)
          + ", got " + text(value));
    }
  }

  /** 100ms, 30s, 5m, 1d: the way durations are written in the config file. */
  private static String text(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s % 60 != 0) {
      return s + "s";
    }
    long m = s / 60;
    return m % 1440 == 0 ? m / 1440 + "d" : m % 60 == 0 ? m / 60 + "h" : m + "m";
  }
}
