package io.gatehouse.device.client;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.gatehouse.core.sas.PercentCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's connection to its hub over MQTT 3.1.1/TLS in Azure IoT Hub's device protocol
 * (azure-iot-facts §2): ClientId = device id, user name {@code {host}/{deviceId}/?api-version=…},
 * password = a SAS token the device's keys sign (inside the TPM for a TPM device).
 *
 * <p>Telemetry goes to {@code devices/{id}/messages/events/{bag}} at QoS 1; {@link #send} completes
 * on PUBACK, i.e. once the gateway has committed it. Inbox messages arrive on the callback, one at a
 * time, and are PUBACKed (completed) after it returns; a callback that throws leaves the message
 * unacknowledged, so the gateway redelivers it on a later session.
 *
 * <p>Token renewal: MQTT 3.1.1 cannot re-authenticate in band, so at 85 % of the token's lifetime
 * (at least 2 s before it expires, not before half of it) the client waits for what is in flight, disconnects, and connects again with a fresh token.
 * Publishes issued meanwhile are held (bounded) and sent on the new session: none is lost. A
 * renewal that fails is retried every {@link Options#retryDelay()} with the publishes still held.
 * A connection the gateway drops between renewals is not re-established by itself (not built yet):
 * later sends fail with HiveMQ's "not connected".
 */
public final class DeviceClient implements AutoCloseable {
  public static final String API_VERSION = "2021-04-12";
  private static final Logger LOG = LoggerFactory.getLogger(DeviceClient.class);
  private static final double RENEW_AT = 0.85;
  private static final Duration RENEW_MARGIN = Duration.ofSeconds(2);

  /**
   * @param serverHost where to connect (may differ from the hub name in tokens, like Azure's GatewayHostName)
   * @param tokenTtl the lifetime of each SAS token; the session is renewed at 85 % of it
   * @param maxHeld publishes held while a session is replaced, at most
   */
  public record Options(String serverHost, int serverPort, TrustManagerFactory trust, Duration tokenTtl,
      Duration timeout, Duration retryDelay, int maxHeld) {
    public Options {
      Objects.requireNonNull(serverHost, "serverHost");
      Objects.requireNonNull(trust, "trust");
      if (tokenTtl.toSeconds() < 2) {
        throw new IllegalArgumentException("a token lifetime under 2 s leaves no time to use it, got " + tokenTtl);
      }
    }

    public static Options of(String serverHost, int serverPort, TrustManagerFactory trust) {
      return new Options(serverHost, serverPort, trust, Duration.ofHours(1), Duration.ofSeconds(30),
          Duration.ofSeconds(5), 10_000);
    }

    public Options withTokenTtl(Duration ttl) {
      return new Options(serverHost, serverPort, trust, ttl, timeout, retryDelay, maxHeld);
    }
  }

  private final DeviceIdentity identity;
  private final Options options;
  private final Consumer<InboxMessage> onMessage;
  private final Mqtt3AsyncClient mqtt;
  private final PublishGate<Mqtt3Publish, Void> gate;
  private final ScheduledExecutorService renewals;
  private final ExecutorService callbacks;
  private volatile int sessions;
  private volatile boolean closed;

  private DeviceClient(DeviceIdentity identity, Options options, Consumer<InboxMessage> onMessage) {
    this.identity = identity;
    this.options = options;
    this.onMessage = onMessage;
    this.gate = new PublishGate<>(options.maxHeld());
    this.mqtt = MqttClient.builder().useMqttVersion3().identifier(identity.deviceId())
        .serverHost(options.serverHost()).serverPort(options.serverPort())
        .sslConfig().trustManagerFactory(options.trust()).protocols(List.of("TLSv1.3", "TLSv1.2")).applySslConfig()
        .buildAsync();
    this.renewals = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
        .name("gatehouse-token-renewal-" + identity.deviceId()).factory());
    // The inbox callback may block (the application's own work): never on the MQTT event loop.
    this.callbacks = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
        .name("gatehouse-inbox-" + identity.deviceId()).factory());
  }

  /**
   * Connects, subscribes to the inbox if {@code onMessage} is given, and schedules token renewal.
   *
   * @throws DeviceClientException if the gateway refuses or does not answer within the timeout
   */
  public static DeviceClient connect(DeviceIdentity identity, Options options, Consumer<InboxMessage> onMessage) {
    DeviceClient client = new DeviceClient(identity, options, onMessage);
    try {
      client.startSession();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** Sends telemetry with application properties; completes when the gateway acknowledged it (QoS 1). */
  public CompletableFuture<Void> send(byte[] payload, Map<String, String> properties) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the device client is closed"));
    }
    Mqtt3Publish publish = Mqtt3Publish.builder().topic(telemetryTopic(properties)).qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload).build();
    return gate.publish(publish);
  }

  public CompletableFuture<Void> send(String payload) {
    return send(payload.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** How many sessions this client opened: 1, plus one per token renewal. */
  public int sessions() {
    return sessions;
  }

  /** How many publishes were held while a session was being replaced, and sent on the next one. */
  public long heldDuringRenewals() {
    return gate.heldTotal();
  }

  public DeviceIdentity identity() {
    return identity;
  }

  private void startSession() {
    // se has whole seconds: the token's real lifetime is up to a second shorter than the TTL, which
    // matters for short TTLs, so renewal is timed from the expiry the token actually carries.
    Instant signedAt = identity.clock().instant();
    Instant expiry = Instant.ofEpochSecond(signedAt.plus(options.tokenTtl()).getEpochSecond());
    String token = identity.sasToken(expiry);
    String username = identity.hostName() + "/" + identity.deviceId() + "/?api-version=" + API_VERSION;
    try {
      mqtt.connectWith().cleanSession(true).keepAlive(60)
          .simpleAuth().username(username).password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
          .send().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (onMessage != null) {
        mqtt.subscribeWith().topicFilter("devices/" + identity.deviceId() + "/messages/devicebound/#")
            .qos(MqttQos.AT_LEAST_ONCE).callback(this::deliver).executor(callbacks).manualAcknowledgement(true)
            .send().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new DeviceClientException("connecting " + identity.deviceId() + " to " + options.serverHost() + ":"
          + options.serverPort() + " failed: " + cause, cause);
    }
    sessions++;
    LOG.info("event=device_session_up deviceId={} session={} tokenTtlSeconds={}", identity.deviceId(), sessions,
        options.tokenTtl().toSeconds());
    gate.open(p -> mqtt.publish(p).thenApply(r -> null));
    long lifetime = Duration.between(signedAt, expiry).toMillis();
    // 85 % as Azure's SDKs do, but at least RENEW_MARGIN before expiry (waiting for in-flight
    // PUBACKs and reconnecting take time on a busy machine), and not before half the lifetime.
    long renewAt = Math.max(lifetime / 2, Math.min((long) (lifetime * RENEW_AT), lifetime - RENEW_MARGIN.toMillis()));
    long renewIn = Math.max(0, renewAt - Duration.between(signedAt, identity.clock().instant()).toMillis());
    renewals.schedule(this::renew, renewIn, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    if (closed) {
      return;
    }
    try {
      gate.close().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      mqtt.disconnect().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The old session is gone or going either way; the new one is what matters.
      LOG.warn("event=device_session_close_failed deviceId={} error={}", identity.deviceId(), e.toString());
    }
    try {
      startSession();
    } catch (RuntimeException e) {
      LOG.warn("event=device_session_renewal_failed deviceId={} held={} retryInSeconds={} error={}",
          identity.deviceId(), gate.heldCount(), options.retryDelay().toSeconds(), e.getMessage());
      if (!closed) {
        renewals.schedule(this::renew, options.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void deliver(Mqtt3Publish publish) {
    String topic = publish.getTopic().toString();
    try {
      onMessage.accept(new InboxMessage(topic, publish.getPayloadAsBytes(), properties(topic)));
      publish.acknowledge();
    } catch (RuntimeException e) {
      LOG.warn("event=inbox_callback_failed deviceId={} topic={} error={}", identity.deviceId(), topic, e.toString());
    }
  }

  private String telemetryTopic(Map<String, String> properties) {
    StringBuilder topic = new StringBuilder("devices/").append(identity.deviceId()).append("/messages/events/");
    String separator = "";
    for (Map.Entry<String, String> p : properties.entrySet()) {
      topic.append(separator).append(PercentCodec.encode(p.getKey())).append('=')
          .append(PercentCodec.encode(p.getValue()));
      separator = "&";
    }
    return topic.toString();
  }

  /** The property bag after {@code devicebound/}, percent-decoded; {@code %24.mid} becomes {@code $.mid}. */
  static Map<String, String> properties(String topic) {
    int at = topic.indexOf("/messages/devicebound/");
    Map<String, String> properties = new LinkedHashMap<>();
    if (at < 0) {
      return properties;
    }
    String bag = topic.substring(at + "/messages/devicebound/".length());
    for (String pair : bag.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = PercentCodec.decode(eq < 0 ? pair : pair.substring(0, eq));
      properties.put(key, eq < 0 ? "" : PercentCodec.decode(pair.substring(eq + 1)));
    }
    return properties;
  }

  @Override
  public void close() {
    closed = true;
    renewals.shutdownNow();
    gate.failHeld(new IllegalStateException("the device client was closed before the message could be sent"));
    try {
      if (mqtt.getState().isConnected()) {
        mqtt.disconnect().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      LOG.debug("event=device_disconnect_failed deviceId={} error={}", identity.deviceId(), e.toString());
    }
    callbacks.shutdown();
  }
}
