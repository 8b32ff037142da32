package io.gatehouse.device.client;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 3.1.1/TLS transport (azure-iot-facts §2): ClientId = device id, user name
 * {@code {host}/{deviceId}/?api-version=…}, password = a SAS token the device's keys sign.
 *
 * <p>One session at a time; every session is replaced on this transport's own thread, for two
 * reasons. Renewal: MQTT 3.1.1 cannot re-authenticate in band, so at the token's renewal time the
 * transport waits for what is in flight, disconnects and connects with a fresh token. Recovery: when
 * the gateway or the network drops the session, HiveMQ's disconnected listener (which only signals)
 * starts reconnection with a fresh token and bounded exponential backoff. HiveMQ's own automatic
 * reconnect is not used: it replays the previous CONNECT, whose password may be an expired token, and
 * the hook to change it runs on the Netty event loop, where signing inside a TPM (blocking I/O) must not.
 *
 * <p>Publishes issued while no session is up are held in the bounded {@link PublishGate} and sent on
 * the next one. A publish in flight when a session is lost (HiveMQ fails it when the clean session
 * ends) is sent again on the next session, at most {@link #MAX_SEND_ATTEMPTS} times in all; then it
 * fails with a {@link DeviceClientException}. It is never silently lost; it may arrive twice if the
 * gateway had stored it but its PUBACK was lost with the connection (at-least-once, as in Azure).
 */
final class MqttTransport implements DeviceTransport {
  static final int MAX_SEND_ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);

  private final DeviceIdentity identity;
  private final DeviceClient.Options options;
  private final Consumer<InboxMessage> onMessage;
  private final Mqtt3AsyncClient mqtt;
  private final PublishGate<Mqtt3Publish, Void> gate;
  private final ScheduledExecutorService sessionThread;
  private final ExecutorService callbacks;
  /** Guards {@link #up} together with opening and closing {@link #gate}: the two never disagree. */
  private final Object sessionState = new Object();
  private boolean up;
  private final AtomicInteger connectAttempts = new AtomicInteger();
  private ScheduledFuture<?> next;
  /** A lost session is being replaced (session thread only): its success counts as a reconnection. */
  private boolean recovering;
  private volatile int sessions;
  private volatile int reconnects;
  private volatile boolean closed;

  private MqttTransport(DeviceIdentity identity, DeviceClient.Options options, Consumer<InboxMessage> onMessage) {
    this.identity = identity;
    this.options = options;
    this.onMessage = onMessage;
    this.gate = new PublishGate<>(options.maxHeld());
    this.mqtt = MqttClient.builder().useMqttVersion3().identifier(identity.deviceId())
        .serverHost(options.serverHost()).serverPort(options.serverPort())
        .sslConfig().trustManagerFactory(options.trust()).protocols(List.of("TLSv1.3", "TLSv1.2")).applySslConfig()
        .addDisconnectedListener(this::onDisconnected)
        .buildAsync();
    this.sessionThread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
        .name("gatehouse-mqtt-session-" + identity.deviceId()).factory());
    // The inbox callback may block (the application's own work): never on the MQTT event loop.
    this.callbacks = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
        .name("gatehouse-inbox-" + identity.deviceId()).factory());
  }

  /** @throws DeviceClientException if the gateway refuses or does not answer within the timeout */
  static MqttTransport connect(DeviceIdentity identity, DeviceClient.Options options, Consumer<InboxMessage> onMessage) {
    MqttTransport transport = new MqttTransport(identity, options, onMessage);
    try {
      transport.startSession();
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
    return transport;
  }

  @Override
  public CompletableFuture<Void> send(byte[] payload, Map<String, String> properties) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the device client is closed"));
    }
    Mqtt3Publish publish = Mqtt3Publish.builder().topic(MqttTopics.telemetry(identity.deviceId(), properties))
        .qos(MqttQos.AT_LEAST_ONCE).payload(payload).build();
    return submit(publish, 1);
  }

  private CompletableFuture<Void> submit(Mqtt3Publish publish, int attempt) {
    return gate.publish(publish).exceptionallyCompose(failure -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (closed || cause instanceof RejectedExecutionException || cause instanceof IllegalStateException) {
        return CompletableFuture.failedFuture(cause);
      }
      // MQTT 3.1.1 has no negative PUBACK: a failed QoS 1 publish means its session is gone. (A late
      // failure from a session already replaced must not end the healthy new one.)
      if (!mqtt.getState().isConnected()) {
        sessionLost(cause);
      }
      if (attempt >= MAX_SEND_ATTEMPTS) {
        return CompletableFuture.failedFuture(new DeviceClientException("the connection to " + options.serverHost()
            + ":" + options.serverPort() + " was lost " + attempt + " times while this message was in flight; "
            + "it was not acknowledged (the gateway may or may not have stored it): " + cause, cause));
      }
      LOG.debug("event=device_publish_resend deviceId={} attempt={} error={}", identity.deviceId(), attempt + 1, cause);
      return submit(publish, attempt + 1);
    });
  }

  private void startSession() {
    connectAttempts.incrementAndGet();
    SessionToken token = SessionToken.sign(identity, options.tokenTtl());
    if (closed) {
      throw new DeviceClientException("the device client was closed while " + identity.deviceId() + " connected", null);
    }
    String username = identity.hostName() + "/" + identity.deviceId() + "/?api-version=" + DeviceClient.API_VERSION;
    CompletableFuture<?> connecting = mqtt.connectWith().cleanSession(true).keepAlive(60)
        .simpleAuth().username(username).password(token.value().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
        .send();
    try {
      connecting.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (onMessage != null) {
        mqtt.subscribeWith().topicFilter(MqttTopics.inboxFilter(identity.deviceId()))
            .qos(MqttQos.AT_LEAST_ONCE).callback(this::deliver).executor(callbacks).manualAcknowledgement(true)
            .send().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // Given up on (timed out, or close() interrupted it), the CONNECT may still succeed later: that
      // session is ended as soon as it exists, never left running beside the next attempt.
      connecting.thenRun(() -> mqtt.disconnect());
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new DeviceClientException("connecting " + identity.deviceId() + " to " + options.serverHost() + ":"
          + options.serverPort() + " failed: " + cause, cause);
    }
    // Marked up and opened in one step, and only if the session has not dropped already: a drop
    // reported before this sees it down (and the check here catches it); one reported after sees it up.
    synchronized (sessionState) {
      if (!mqtt.getState().isConnected()) {
        throw new DeviceClientException("the session of " + identity.deviceId() + " with " + options.serverHost()
            + ":" + options.serverPort() + " ended right after it was established", null);
      }
      sessions++;
      up = true;
      gate.open(p -> mqtt.publish(p).thenApply(r -> null));
    }
    LOG.info("event=device_session_up deviceId={} session={} tokenTtlSeconds={}", identity.deviceId(), sessions,
        options.tokenTtl().toSeconds());
    long renewIn = Math.max(0, Duration.between(identity.clock().instant(), token.renewAt()).toMillis());
    schedule(this::renew, renewIn);
  }

  /** Replaces the session before its token expires; runs on the session thread. */
  private void renew() {
    CompletableFuture<Void> drained;
    synchronized (sessionState) {
      if (closed || !up) {
        return; // closed, or the session was lost and reconnection is already under way
      }
      up = false;
      drained = gate.close();
    }
    try {
      drained.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      mqtt.disconnect().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The old session is gone or going either way; the new one is what matters.
      LOG.warn("event=device_session_close_failed deviceId={} error={}", identity.deviceId(), e.toString());
    }
    reconnect(0);
  }

  /** HiveMQ calls this on its event loop, also for a failed connect and for our own disconnects: only signal. */
  private void onDisconnected(MqttClientDisconnectedContext context) {
    if (context.getSource() != MqttDisconnectSource.USER) {
      sessionLost(context.getCause());
    }
  }

  /** The first report of a lost session holds later publishes and starts reconnection; later ones do nothing. */
  private void sessionLost(Throwable cause) {
    synchronized (sessionState) {
      if (closed || !up) {
        return;
      }
      up = false;
      gate.close();
    }
    LOG.warn("event=device_session_lost deviceId={} held={} error={}", identity.deviceId(), gate.heldCount(),
        String.valueOf(cause));
    try {
      sessionThread.execute(() -> {
        recovering = true;
        schedule(() -> reconnect(0), options.reconnect().delay(0, ThreadLocalRandom.current()).toMillis());
      });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** One attempt at a new session; runs on the session thread and schedules the next attempt if it fails. */
  private void reconnect(int attempt) {
    if (closed) {
      return;
    }
    try {
      if (mqtt.getState().isConnected()) {
        mqtt.disconnect().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      LOG.debug("event=device_disconnect_failed deviceId={} error={}", identity.deviceId(), e.toString());
    }
    try {
      startSession();
      if (recovering) {
        recovering = false;
        reconnects++;
      }
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      Duration delay = options.reconnect().delay(attempt + 1, ThreadLocalRandom.current());
      LOG.warn("event=device_session_retry deviceId={} attempt={} held={} retryInMillis={} error={}",
          identity.deviceId(), attempt + 1, gate.heldCount(), delay.toMillis(), e.getMessage());
      schedule(() -> reconnect(attempt + 1), delay.toMillis());
    }
  }

  /** At most one pending session task: a renewal timer of an older session never runs beside a reconnection. */
  private synchronized void schedule(Runnable task, long delayMillis) {
    if (next != null) {
      next.cancel(false);
    }
    try {
      next = sessionThread.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void deliver(Mqtt3Publish publish) {
    String topic = publish.getTopic().toString();
    try {
      onMessage.accept(new InboxMessage(topic, publish.getPayloadAsBytes(), MqttTopics.properties(topic)));
      publish.acknowledge();
    } catch (RuntimeException e) {
      // Over MQTT a message can only be completed (PUBACK); unacknowledged, it comes back on a later session.
      LOG.warn("event=inbox_callback_failed deviceId={} topic={} error={}", identity.deviceId(), topic, e.toString());
    }
  }

  @Override
  public int sessions() {
    return sessions;
  }

  @Override
  public long held() {
    return gate.heldTotal();
  }

  @Override
  public int reconnects() {
    return reconnects;
  }

  /** Every CONNECT this transport sent (successful or not): what a test counts to see backoff stop. */
  int connectAttempts() {
    return connectAttempts.get();
  }

  @Override
  public boolean connected() {
    synchronized (sessionState) {
      return up && !closed;
    }
  }

  @Override
  public void close() {
    closed = true;
    sessionThread.shutdownNow();
    try {
      // a connect under way when close() was called must not leave a session behind
      sessionThread.awaitTermination(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
