package io.gatehouse.edge.uplink;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import io.gatehouse.core.sas.PercentCodec;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's one outbound connection: MQTT 5 over TLS to the service gateway, as the edge identity
 * (a SAS token as password, or a client certificate in the handshake), carrying its leaves' messages
 * on their own topics. Reconnects forever with exponential backoff and jitter, with a credential
 * made afresh for each attempt. MQTT 5 because the gateway can then refuse one leaf's
 * message (PUBACK 0x87) without closing the uplink the other leaves share.
 */
public final class Uplink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);

  private final UplinkSettings settings;
  private final CredentialSource credentials;
  private final Backoff backoff;
  private final Mqtt5AsyncClient client;
  private final LeafInboxes inboxes;
  private final UplinkTls tls;
  private final CredentialFetch fetch;
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String lastFailure;
  private volatile boolean closed;

  /** An uplink that carries telemetry only (no leaf asks for commands through it). */
  public Uplink(UplinkSettings settings, CredentialSource credentials, Clock clock) {
    this(settings, credentials, clock, InboxReceiver.NONE);
  }

  /** {@code inboxes} takes the messages of the leaves named in {@link #wantInbox}. */
  public Uplink(UplinkSettings settings, CredentialSource credentials, Clock clock, InboxReceiver inboxes) {
    this.settings = settings;
    this.credentials = credentials;
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), new SecureRandom());
    this.fetch = new CredentialFetch(credentials, clock, backoff, settings.edgeId(), () -> closed, this::failed);
    this.tls = new UplinkTls(settings);
    var builder = MqttClient.builder().useMqttVersion5().identifier(settings.edgeId())
        .transportConfig(tls.transport())
        .addConnectedListener(context -> connected())
        .addDisconnectedListener(this::disconnected);
    this.inboxes = new LeafInboxes(inboxes);
    this.client = builder.advancedConfig().interceptors().incomingQos1Interceptor(this.inboxes::writeVerdict)
        .applyInterceptors().applyAdvancedConfig().buildAsync();
    this.inboxes.attach(client);
  }

  /** Starts connecting; returns at once. Failures are retried, never thrown. */
  public void start() {
    // The client's TLS context is new, so there is no session to resume: tls.use never asks for another.
    fetch.after(Duration.ZERO).thenAccept(credential -> {
      if (!closed) {
        tls.use(credential);
        client.connect(connectWith(credential));
      }
    });
  }

  public boolean isConnected() {
    return client.getState().isConnected();
  }

  /** Successful connections so far (a reconnect after an outage counts again). */
  public long connects() {
    return connects.get();
  }

  /**
   * Times the uplink failed so far: a connection attempt refused or unanswered, a connection lost,
   * or no usable credential. Each failure is followed by another attempt after a backoff delay.
   */
  public long failures() {
    return failures.get();
  }

  /** Why the uplink last failed, as logged; empty until it has failed once. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /**
   * Publishes {@code payload} as {@code leafId}'s telemetry at QoS 1. Completes with the gateway's
   * answer; completes exceptionally if there was no answer (not connected, connection lost), in
   * which case the caller keeps the message and sends it again later.
   */
  public CompletableFuture<PublishOutcome> publish(String leafId, Map<String, String> properties, byte[] payload) {
    return answer(client.publishWith().topic(topic(leafId, properties)).qos(MqttQos.AT_LEAST_ONCE).payload(payload)
        .send());
  }

  private static CompletableFuture<PublishOutcome> answer(CompletableFuture<?> sent) {
    return sent.handle((result, failure) -> {
      if (failure == null) {
        return new PublishOutcome.Accepted();
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof Mqtt5PubAckException refused) {
        Mqtt5PubAck ack = refused.getMqttMessage();
        return new PublishOutcome.Refused(ack.getReasonCode().getCode(),
            ack.getReasonString().map(Object::toString).orElse(ack.getReasonCode().name()));
      }
      throw new CompletionException(cause);
    });
  }

  /**
   * Pulls {@code leafId}'s inbox through this uplink from now on (now, or as soon as it is connected,
   * and again after every reconnect), handing each message to the {@link InboxReceiver}.
   */
  public void wantInbox(String leafId) {
    inboxes.want(leafId);
  }

  /** Stops pulling {@code leafId}'s inbox; messages already received are still settled. */
  public void dropInbox(String leafId) {
    inboxes.drop(leafId);
  }

  /** The leaves whose inboxes this uplink pulls. */
  public Set<String> inboxesWanted() {
    return inboxes.wanted();
  }

  /**
   * Publishes the edge's own report (posture) at QoS 1 on {@code topic}; completes with the gateway's
   * answer like {@link #publish}.
   */
  public CompletableFuture<PublishOutcome> publishReport(String topic, byte[] json) {
    return answer(client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(json)
        .contentType("application/json").send());
  }

  /** {@code devices/{leaf}/messages/events/{property bag}}, the bag percent-encoded as Azure's SDKs do. */
  static String topic(String leafId, Map<String, String> properties) {
    StringJoiner bag = new StringJoiner("&");
    properties.forEach((k, v) -> bag.add(PercentCodec.encode(k) + "=" + PercentCodec.encode(v)));
    return "devices/" + leafId + "/messages/events/" + bag;
  }

  private void connected() {
    connects.incrementAndGet();
    backoff.reset();
    inboxes.newSession();
    LOG.info("uplink connected edge={} gateway={}:{}", settings.edgeId(), settings.host(), settings.port());
  }

  private void disconnected(MqttClientDisconnectedContext context) {
    if (closed) {
      return;
    }
    Duration delay = backoff.next();
    Throwable cause = context.getCause();
    if (cause instanceof Mqtt5ConnAckException refused) {
      // The gateway answered and said no: retrying helps only once an operator fixes the registration
      // or the credential files, so this is an error worth their attention, not a network blip.
      failed("the service gateway refused the edge's credential (" + credentials.kind() + "): CONNACK "
          + refused.getMqttMessage().getReasonCode());
      LOG.error("uplink refused edge={} gateway={}:{} reason={} retryInMs={}", settings.edgeId(), settings.host(),
          settings.port(), refused.getMqttMessage().getReasonCode(), delay.toMillis());
    } else {
      String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      failed(reason);
      LOG.warn("uplink down edge={} cause=\"{}\" retryInMs={}", settings.edgeId(), reason, delay.toMillis());
    }
    Mqtt5ClientReconnector reconnector = ((Mqtt5ClientDisconnectedContext) context).getReconnector();
    // The credential is made when the delay is over (a certificate renewed meanwhile is used); the
    // callback runs on the client's event loop, where the reconnector may still be configured.
    reconnector.reconnectWhen(fetch.after(delay), (credential, failure) -> {
      if (credential == null || closed) {
        reconnector.reconnect(false);
      } else {
        tls.use(credential).ifPresent(reconnector::transportConfig);
        reconnector.connect(connectWith(credential));
      }
    });
  }

  /** The CONNECT for {@code credential} (a client certificate goes in the TLS handshake, see {@link UplinkTls}). */
  private Mqtt5Connect connectWith(UplinkCredential credential) {
    var auth = Mqtt5Connect.builder().cleanStart(true).keepAlive((int) settings.keepAlive().toSeconds())
        .restrictions().receiveMaximum(settings.inFlight()).applyRestrictions()
        .simpleAuth().username(credential.userName());
    return switch (credential) {
      case UplinkCredential.SasToken sas -> auth.password(sas.token()).applySimpleAuth().build();
      // Azure's convention: no password; the certificate in the handshake is the proof.
      case UplinkCredential.ClientCertificate ignored -> auth.applySimpleAuth().build();
    };
  }

  private void failed(String reason) {
    failures.incrementAndGet();
    lastFailure = reason;
  }

  @Override
  public void close() {
    closed = true;
    client.disconnect().exceptionally(e -> null).join();
  }
}
