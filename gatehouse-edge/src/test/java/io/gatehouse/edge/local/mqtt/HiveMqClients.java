package io.gatehouse.edge.local.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** MQTT 5 test clients (HiveMQ) that remember why they were disconnected. */
final class HiveMqClients {
  private HiveMqClients() {}

  record Client(Mqtt5AsyncClient mqtt, BlockingQueue<Throwable> disconnects) {}

  static Client client(String leafId, int port) {
    BlockingQueue<Throwable> disconnects = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient mqtt = MqttClient.builder().useMqttVersion5().identifier(leafId).serverHost("127.0.0.1")
        .serverPort(port).addDisconnectedListener(context -> disconnects.add(context.getCause())).buildAsync();
    return new Client(mqtt, disconnects);
  }

  /** A connected client, logged in with the given password. */
  static Client connected(String leafId, String password, int port) throws Exception {
    Client client = client(leafId, port);
    client.mqtt().connectWith().simpleAuth().username(leafId).password(bytes(password)).applySimpleAuth()
        .send().get(5, TimeUnit.SECONDS);
    return client;
  }

  /** The error of a publish, whether the client reports it as a failed future or inside the result. */
  static Optional<Throwable> publishError(CompletableFuture<Mqtt5PublishResult> publish) throws Exception {
    try {
      return publish.get(5, TimeUnit.SECONDS).getError();
    } catch (ExecutionException e) {
      return Optional.of(e.getCause());
    }
  }

  static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail, but it completed");
  }

  static void disconnectQuietly(Client client) {
    try {
      client.mqtt().disconnect().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // already disconnected
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
