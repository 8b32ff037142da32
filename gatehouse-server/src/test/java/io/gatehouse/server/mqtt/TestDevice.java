package io.gatehouse.server.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A HiveMQ client (MQTT 3.1.1 or 5) set up as an Azure device SDK connects: TLS trusting the test
 * CA, client id = device id, Azure user name, SAS token as password. Records how it was
 * disconnected.
 */
final class TestDevice implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final String id;
  final Mqtt5AsyncClient v5;
  final Mqtt3AsyncClient v3;
  /** Completes with the cause when the connection ends (after it was established). */
  final CompletableFuture<Throwable> disconnected = new CompletableFuture<>();

  private TestDevice(String id, Mqtt5AsyncClient v5, Mqtt3AsyncClient v3) {
    this.id = id;
    this.v5 = v5;
    this.v3 = v3;
  }

  static TestDevice v5(MqttTestBed bed, String id) {
    CompletableFuture<Throwable> gone = new CompletableFuture<>();
    Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("localhost").serverPort(bed.port())
        .sslConfig().trustManagerFactory(bed.trust()).applySslConfig()
        .addDisconnectedListener(context -> gone.complete(cause(context)))
        .buildAsync();
    TestDevice device = new TestDevice(id, client, null);
    gone.whenComplete((cause, e) -> device.disconnected.complete(cause));
    return device;
  }

  /** An MQTT 5 device presenting {@code keys} (a KeyManagerFactory) as its TLS client certificate. */
  static TestDevice v5WithCertificate(MqttTestBed bed, String id, javax.net.ssl.KeyManagerFactory keys) {
    CompletableFuture<Throwable> gone = new CompletableFuture<>();
    Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("localhost").serverPort(bed.port())
        .sslConfig().trustManagerFactory(bed.trust()).keyManagerFactory(keys).applySslConfig()
        .addDisconnectedListener(context -> gone.complete(cause(context)))
        .buildAsync();
    TestDevice device = new TestDevice(id, client, null);
    gone.whenComplete((cause, e) -> device.disconnected.complete(cause));
    return device;
  }

  /** MQTT 3.1.1 with a client certificate. */
  static TestDevice v3WithCertificate(MqttTestBed bed, String id, javax.net.ssl.KeyManagerFactory keys) {
    CompletableFuture<Throwable> gone = new CompletableFuture<>();
    Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(id)
        .serverHost("localhost").serverPort(bed.port())
        .sslConfig().trustManagerFactory(bed.trust()).keyManagerFactory(keys).applySslConfig()
        .addDisconnectedListener(context -> gone.complete(cause(context)))
        .buildAsync();
    TestDevice device = new TestDevice(id, null, client);
    gone.whenComplete((cause, e) -> device.disconnected.complete(cause));
    return device;
  }

  /** Connects with the user name only (no password): the credential is the TLS client certificate, if any. */
  int connectWithoutPassword() {
    try {
      if (isV5()) {
        return v5.connectWith().simpleAuth().username(MqttTestBed.userName(id)).applySimpleAuth().send()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getReasonCode().getCode();
      }
      return v3.connectWith().simpleAuth().username(MqttTestBed.userName(id)).applySimpleAuth().send()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getReturnCode().getCode();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Mqtt5ConnAckException refused) {
        return refused.getMqttMessage().getReasonCode().getCode();
      }
      if (e.getCause() instanceof Mqtt3ConnAckException refused) {
        return refused.getMqttMessage().getReturnCode().getCode();
      }
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static TestDevice v3(MqttTestBed bed, String id) {
    CompletableFuture<Throwable> gone = new CompletableFuture<>();
    Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(id)
        .serverHost("localhost").serverPort(bed.port())
        .sslConfig().trustManagerFactory(bed.trust()).applySslConfig()
        .addDisconnectedListener(context -> gone.complete(cause(context)))
        .buildAsync();
    TestDevice device = new TestDevice(id, null, client);
    gone.whenComplete((cause, e) -> device.disconnected.complete(cause));
    return device;
  }

  boolean isV5() {
    return v5 != null;
  }

  /** Connects with a SAS token; returns the CONNACK code (0 = accepted). */
  int connect(String token) {
    return connect(MqttTestBed.userName(id), token, 60);
  }

  int connect(String userName, String token, int keepAlive) {
    try {
      if (isV5()) {
        Mqtt5ConnAck ack = v5.connectWith().keepAlive(keepAlive).cleanStart(true)
            .simpleAuth().username(userName).password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
            .send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return ack.getReasonCode().getCode();
      }
      Mqtt3ConnAck ack = v3.connectWith().keepAlive(keepAlive).cleanSession(false)
          .simpleAuth().username(userName).password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
          .send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return ack.getReturnCode().getCode();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Mqtt5ConnAckException refused) {
        return refused.getMqttMessage().getReasonCode().getCode();
      }
      if (e.getCause() instanceof Mqtt3ConnAckException refused) {
        return refused.getMqttMessage().getReturnCode().getCode();
      }
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Mqtt5ConnAck connectV5(String token) throws Exception {
    return v5.connectWith().keepAlive(60).cleanStart(true)
        .simpleAuth().username(MqttTestBed.userName(id)).password(token.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Publishes at QoS 1 over MQTT 5 and returns the PUBACK reason code (HiveMQ fails the future for codes ≥ 0x80). */
  int publishV5(String topic, byte[] payload) throws Exception {
    try {
      var result = v5.publishWith().topic(topic).qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE)
          .payload(payload).send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return ((com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck()
          .getReasonCode().getCode();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException refused) {
        return refused.getMqttMessage().getReasonCode().getCode();
      }
      throw e;
    }
  }

  /** The MQTT 5 DISCONNECT reason code the server sent, or -1 if it closed without one. */
  int serverDisconnectCode() throws Exception {
    Throwable cause = disconnected.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return cause instanceof Mqtt5DisconnectException d ? d.getMqttMessage().getReasonCode().getCode() : -1;
  }

  boolean isConnected() {
    return isV5() ? v5.getState().isConnected() : v3.getState().isConnected();
  }

  @Override
  public void close() {
    try {
      if (isConnected()) {
        (isV5() ? v5.disconnect() : v3.disconnect()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // already gone
    }
  }

  private static Throwable cause(MqttClientDisconnectedContext context) {
    return context.getCause();
  }
}
