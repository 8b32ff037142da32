package io.gatehouse.device.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** How a {@link DeviceClient} reaches its hub: a long-lived MQTT session or one HTTPS request per operation. */
sealed interface DeviceTransport extends AutoCloseable permits MqttTransport, HttpsTransport {
  /** Completes once the gateway acknowledged the message (PUBACK, or HTTP 204): it is durable there. */
  CompletableFuture<Void> send(byte[] payload, Map<String, String> properties);

  /** MQTT: sessions opened (1, plus one per renewal or reconnection); HTTPS: tokens signed. */
  int sessions();

  /** How many sends had to wait for a session (renewal or reconnection) before they went out. */
  long held();

  /** MQTT: sessions re-established after the gateway or the network dropped one; HTTPS: 0. */
  int reconnects();

  /** Whether a send issued now goes out at once (MQTT: a session is up; HTTPS: always, until closed). */
  boolean connected();

  @Override
  void close();
}
