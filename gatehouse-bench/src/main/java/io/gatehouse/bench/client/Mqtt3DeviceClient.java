package io.gatehouse.bench.client;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

final class Mqtt3DeviceClient implements DeviceClient {
  private final DeviceLogin login;
  private final Mqtt3AsyncClient client;
  private final Mqtt3Publish telemetry;
  private final int keepAliveSeconds;

  Mqtt3DeviceClient(DeviceLogin login, InetSocketAddress server, MqttClientSslConfig ssl,
      MqttClientExecutorConfig executor, byte[] telemetryPayload, int keepAliveSeconds) {
    this.login = login;
    this.keepAliveSeconds = keepAliveSeconds;
    this.client = MqttClient.builder().useMqttVersion3().identifier(login.clientId()).serverAddress(server)
        .sslConfig(ssl).executorConfig(executor)
        .simpleAuth().username(login.username()).password(login.password()).applySimpleAuth()
        .buildAsync();
    this.telemetry = login.telemetryTopic() == null ? null
        : Mqtt3Publish.builder().topic(login.telemetryTopic()).qos(MqttQos.AT_LEAST_ONCE)
            .payload(telemetryPayload).build();
  }

  @Override
  public DeviceLogin login() {
    return login;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return client.connectWith().cleanSession(true).keepAlive(keepAliveSeconds).send().thenApply(ack -> null);
  }

  @Override
  public CompletableFuture<Void> publishTelemetry() {
    return client.publish(telemetry).thenApply(p -> null);
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] payload) {
    return client.publish(Mqtt3Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).build())
        .thenApply(p -> null);
  }

  @Override
  public CompletableFuture<Void> subscribe(String filter, Consumer<byte[]> onMessage) {
    return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> onMessage.accept(p.getPayloadAsBytes()))
        .send().thenApply(ack -> {
          if (ack.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE)) {
            throw new IllegalStateException("subscription to " + filter + " refused");
          }
          return null;
        });
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    return client.disconnect();
  }
}
