package io.gatehouse.device.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.net.ssl.TrustManagerFactory;

/**
 * A device's connection to its hub in Azure IoT Hub's device protocols, authenticated with SAS
 * tokens its {@link DeviceIdentity} signs (inside the TPM for a TPM device), over one of two
 * transports chosen by {@link Options#transport()}:
 *
 * <ul>
 *   <li>{@link Transport#MQTT} (azure-iot-facts §2): one MQTT 3.1.1/TLS session. {@link #send}
 *       completes on PUBACK. Inbox messages arrive on the callback and are completed (PUBACKed) after
 *       it returns; a callback that throws leaves the message unacknowledged, so the gateway
 *       redelivers it on a later session. The session is replaced with a fresh token at 85 % of the
 *       token's lifetime, and re-established with a fresh token and bounded exponential backoff
 *       ({@link Options#reconnect()}) when the gateway or the network drops it; publishes issued
 *       meanwhile are held (bounded) and sent on the new session, and publishes in flight on a lost
 *       session are sent again (see MqttTransport).
 *   <li>{@link Transport#HTTPS} (azure-iot-facts §3): one request per message, {@link #send}
 *       completes on HTTP 204; the inbox is polled every {@link Options#pollInterval()}, a message is
 *       completed after the callback returns and abandoned if it throws (the gateway then delivers it
 *       again with a higher delivery count). Tokens are cached until 85 % of their lifetime: see
 *       HttpsTransport.
 * </ul>
 *
 * <p>Refusals are {@link DeviceClientException}s that say what the gateway answered; none of them,
 * and no log line, contains a token.
 */
public final class DeviceClient implements AutoCloseable {
  public static final String API_VERSION = "2021-04-12";

  public enum Transport { MQTT, HTTPS }

  /**
   * @param serverHost where to connect (may differ from the hub name in tokens, like Azure's GatewayHostName)
   * @param serverPort the gateway's MQTT port (8883) or HTTPS port (8443), after the transport
   * @param tokenTtl the lifetime of each SAS token; it is replaced at 85 % of it
   * @param reconnect MQTT: the delays between attempts to re-establish a dropped session
   * @param pollInterval HTTPS: the pause between inbox polls that found it empty
   * @param maxHeld publishes held while no session is up (MQTT), or waiting for a connection (HTTPS), at most
   */
  public record Options(Transport transport, String serverHost, int serverPort, TrustManagerFactory trust,
      Duration tokenTtl, Duration timeout, Backoff reconnect, Duration pollInterval, int maxHeld) {
    /** 1 s doubling to 30 s: quick after a blip, gentle on a gateway that a whole fleet reconnects to. */
    public static final Backoff DEFAULT_RECONNECT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /**
     * Azure's SDK polls HTTPS every 25 minutes by default (IoT Hub bills and throttles per request);
     * against a self-hosted gateway an empty poll is one authenticated indexed read, so 5 s gives a
     * message latency a person accepts for 0.2 requests/s per idle device.
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    public Options {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(serverHost, "serverHost");
      Objects.requireNonNull(trust, "trust");
      Objects.requireNonNull(reconnect, "reconnect");
      if (tokenTtl.toSeconds() < 2) {
        throw new IllegalArgumentException("a token lifetime under 2 s leaves no time to use it, got " + tokenTtl);
      }
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("the inbox poll interval must be positive, got " + pollInterval);
      }
      if (maxHeld < 1) {
        throw new IllegalArgumentException("maxHeld must be at least 1, got " + maxHeld);
      }
    }

    /** MQTT to {@code serverHost:serverPort}, tokens of one hour. */
    public static Options of(String serverHost, int serverPort, TrustManagerFactory trust) {
      return new Options(Transport.MQTT, serverHost, serverPort, trust, Duration.ofHours(1), Duration.ofSeconds(30),
          DEFAULT_RECONNECT, DEFAULT_POLL_INTERVAL, 10_000);
    }

    /** HTTPS to {@code serverHost:serverPort}, tokens of one hour. */
    public static Options https(String serverHost, int serverPort, TrustManagerFactory trust) {
      return of(serverHost, serverPort, trust).withTransport(Transport.HTTPS);
    }

    public Options withTransport(Transport t) {
      return new Options(t, serverHost, serverPort, trust, tokenTtl, timeout, reconnect, pollInterval, maxHeld);
    }

    public Options withTokenTtl(Duration ttl) {
      return new Options(transport, serverHost, serverPort, trust, ttl, timeout, reconnect, pollInterval, maxHeld);
    }

    public Options withReconnect(Backoff backoff) {
      return new Options(transport, serverHost, serverPort, trust, tokenTtl, timeout, backoff, pollInterval, maxHeld);
    }

    public Options withPollInterval(Duration interval) {
      return new Options(transport, serverHost, serverPort, trust, tokenTtl, timeout, reconnect, interval, maxHeld);
    }
  }

  private final DeviceIdentity identity;
  private final DeviceTransport transport;

  private DeviceClient(DeviceIdentity identity, DeviceTransport transport) {
    this.identity = identity;
    this.transport = transport;
  }

  /**
   * Connects over {@code options.transport()} and starts delivering the inbox to {@code onMessage}
   * (none if it is {@code null}). MQTT connects and subscribes now; HTTPS signs its first token now
   * and meets the gateway with the first request.
   *
   * @throws DeviceClientException if the gateway refuses or does not answer within the timeout
   */
  public static DeviceClient connect(DeviceIdentity identity, Options options, Consumer<InboxMessage> onMessage) {
    DeviceTransport transport = switch (options.transport()) {
      case MQTT -> MqttTransport.connect(identity, options, onMessage);
      case HTTPS -> HttpsTransport.start(identity, options, onMessage);
    };
    return new DeviceClient(identity, transport);
  }

  /** Sends telemetry with application properties; completes when the gateway acknowledged it (it is durable). */
  public CompletableFuture<Void> send(byte[] payload, Map<String, String> properties) {
    return transport.send(payload, properties);
  }

  public CompletableFuture<Void> send(String payload) {
    return send(payload.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** MQTT: how many sessions this client opened (1, plus one per renewal or reconnection); HTTPS: tokens signed. */
  public int sessions() {
    return transport.sessions();
  }

  /** How many sends had to wait for a session (renewal, reconnection) or a connection before going out. */
  public long heldDuringRenewals() {
    return transport.held();
  }

  /** MQTT: how many times a session the gateway or the network dropped was re-established. */
  public int reconnects() {
    return transport.reconnects();
  }

  /** Whether a send issued now goes out at once rather than being held. */
  public boolean connected() {
    return transport.connected();
  }

  public DeviceIdentity identity() {
    return identity;
  }

  DeviceTransport transport() {
    return transport;
  }

  /** Stops renewal, reconnection and inbox polling; sends still held fail. */
  @Override
  public void close() {
    transport.close();
  }
}
