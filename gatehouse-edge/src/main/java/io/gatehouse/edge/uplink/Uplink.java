package io.gatehouse.edge.uplink;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import io.gatehouse.core.sas.PercentCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's one outbound connection: MQTT 5 over TLS to the service gateway, as the edge identity,
 * carrying its leaves' messages on their own topics. Reconnects forever with exponential backoff and
 * jitter, with a fresh credential each time. MQTT 5 because the gateway can then refuse one leaf's
 * message (PUBACK 0x87) without closing the uplink the other leaves share.
 */
public final class Uplink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);

  private final UplinkSettings settings;
  private final CredentialSource credentials;
  private final Clock clock;
  private final Backoff backoff;
  private final Mqtt5AsyncClient client;
  private final LeafInboxes inboxes;
  private final AtomicLong connects = new AtomicLong();
  private volatile boolean closed;

  /** An uplink that carries telemetry only (no leaf asks for commands through it). */
  public Uplink(UplinkSettings settings, CredentialSource credentials, Clock clock) {
    this(settings, credentials, clock, InboxReceiver.NONE);
  }

  /** {@code inboxes} takes the messages of the leaves named in {@link #wantInbox}. */
  public Uplink(UplinkSettings settings, CredentialSource credentials, Clock clock, InboxReceiver inboxes) {
    this.settings = settings;
    this.credentials = credentials;
    this.clock = clock;
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), new SecureRandom());
    var builder = MqttClient.builder().useMqttVersion5().identifier(settings.edgeId())
        .serverHost(settings.host()).serverPort(settings.port())
        .addConnectedListener(context -> connected())
        .addDisconnectedListener(this::disconnected);
    this.inboxes = new LeafInboxes(inboxes);
    builder = builder.advancedConfig().interceptors().incomingQos1Interceptor(this.inboxes::writeVerdict)
        .applyInterceptors().applyAdvancedConfig();
    var ssl = builder.sslConfig();
    if (settings.caCertificate() != null) {
      ssl = ssl.trustManagerFactory(trusting(settings));
    }
    this.client = ssl.applySslConfig().buildAsync();
    this.inboxes.attach(client);
  }

  /** Starts connecting; returns at once. Failures are retried, never thrown. */
  public void start() {
    UplinkCredential credential = credentials.credential(clock.instant());
    client.connectWith().cleanStart(true).keepAlive((int) settings.keepAlive().toSeconds())
        .restrictions().receiveMaximum(settings.inFlight()).applyRestrictions()
        .simpleAuth().username(credential.userName()).password(credential.password()).applySimpleAuth()
        .send();
  }

  public boolean isConnected() {
    return client.getState().isConnected();
  }

  /** Successful connections so far (a reconnect after an outage counts again). */
  public long connects() {
    return connects.get();
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
    long delay = backoff.next().toMillis();
    LOG.warn("uplink down edge={} cause=\"{}\" retryInMs={}", settings.edgeId(), context.getCause().getMessage(),
        delay);
    UplinkCredential credential = credentials.credential(clock.instant().plusMillis(delay));
    ((Mqtt5ClientDisconnectedContext) context).getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS)
        .connectWith().cleanStart(true).keepAlive((int) settings.keepAlive().toSeconds())
        .restrictions().receiveMaximum(settings.inFlight()).applyRestrictions()
        .simpleAuth().username(credential.userName()).password(credential.password()).applySimpleAuth()
        .applyConnect();
  }

  @Override
  public void close() {
    closed = true;
    client.disconnect().exceptionally(e -> null).join();
  }

  private static TrustManagerFactory trusting(UplinkSettings settings) {
    try (InputStream in = Files.newInputStream(settings.caCertificate())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the gateway CA certificate " + settings.caCertificate(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the gateway CA certificate " + settings.caCertificate()
          + " is not a PEM X.509 certificate: " + e.getMessage(), e);
    }
  }
}
