package io.gatehouse.bench.client;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

final class Mqtt5DeviceClient implements DeviceClient {
  private final DeviceLogin login;
  private final Mqtt5AsyncClient client;
  private final Mqtt5Publish telemetry;
  private final int keepAliveSeconds;

  Mqtt5DeviceClient(DeviceLogin login, InetSocketAddress server, MqttClientSslConfig ssl,
      MqttClientExecutorConfig executor, byte[] telemetryPayload, int keepAliveSeconds) {
    this.login = login;
    this.keepAliveSeconds = keepAliveSeconds;
    this.client = MqttClient.builder().useMqttVersion5().identifier(login.clientId()).serverAddress(server)
        .sslConfig(ssl).executorConfig(executor)
        .simpleAuth().username(login.username()).password(login.password()).applySimpleAuth()
        .buildAsync();
    this.telemetry = login.telemetryTopic() == null ? null
        : Mqtt5Publish.builder().topic(login.telemetryTopic()).qos(MqttQos.AT_LEAST_ONCE)
            .payload(telemetryPayload).build();
  }

  @Override
  public DeviceLogin login() {
    return login;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return client.connectWith().cleanStart(true).keepAlive(keepAliveSeconds).send().thenApply(ack -> null);
  }

  @Override
  public CompletableFuture<Void> publishTelemetry() {
    return client.publish(telemetry).thenApply(Mqtt5DeviceClient::accepted);
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] payload) {
    return client.publish(Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).build())
        .thenApply(Mqtt5DeviceClient::accepted);
  }

  private static Void accepted(Mqtt5PublishResult result) {
    if (result.getError().isPresent()) {
      throw new IllegalStateException("publish failed", result.getError().get());
    }
    if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1 && qos1.getPubAck().getReasonCode().isError()) {
      throw new IllegalStateException("PUBACK " + qos1.getPubAck().getReasonCode());
    }
    return null;
  }

  @Override
  public CompletableFuture<Void> subscribe(String filter, Consumer<byte[]> onMessage) {
    return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> onMessage.accept(p.getPayloadAsBytes()))
        .send().thenApply(ack -> {
          for (Mqtt5SubAckReasonCode code : ack.getReasonCodes()) {
            if (code.isError()) {
              throw new IllegalStateException("subscription to " + filter + " refused: " + code);
            }
          }
          return null;
        });
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    return client.disconnect();
  }
}
