package io.gatehouse.bench.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** One simulated device: an asynchronous MQTT connection (3.1.1 or 5), over TLS unless its factory is plain. */
public interface DeviceClient {
  DeviceLogin login();

  /** Completes when CONNACK accepted the connection; exceptionally on refusal or timeout. */
  CompletableFuture<Void> connect();

  /** QoS 1 publish of the device's fixed telemetry message; completes on PUBACK. */
  CompletableFuture<Void> publishTelemetry();

  /** QoS 1 publish to any topic; completes on PUBACK. */
  CompletableFuture<Void> publish(String topic, byte[] payload);

  /** QoS 1 subscription; completes when SUBACK granted it. Messages are acknowledged automatically. */
  CompletableFuture<Void> subscribe(String filter, Consumer<byte[]> onMessage);

  CompletableFuture<Void> disconnect();
}
