package io.gatehouse.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.gatehouse.cli.process.GatewayProcess;
import io.gatehouse.core.sas.SasSigner;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 7, acknowledged means durable: devices publish at QoS 1 while the gateway process is
 * killed with SIGKILL. After a restart every message that got a PUBACK is in the telemetry log with
 * its content, and every inbox message the service API accepted (201) is still there. Inbox messages
 * a device received over MQTT and PUBACKed before the kill stay completed: their settlements skip an
 * fsync of their own (deferred durability) but survive the death of the process.
 */
class CrashDurabilityTest {
  private static final int DEVICES = 8;
  private static final int WINDOW = 16;
  private static final int ACKED_BEFORE_KILL = 2000;

  @TempDir Path root;

  @Test
  void everyAcknowledgedMessageSurvivesSigkill() throws Exception {
    Path data = root.resolve("data");
    Map<String, String> acked = new ConcurrentHashMap<>();
    List<String> inboxIds = new ArrayList<>();
    try (GatewayProcess gateway = new GatewayProcess(data)) {
      gateway.start();
      Map<String, byte[]> keys = new HashMap<>();
      for (int d = 0; d < DEVICES; d++) {
        JsonNode created = gateway.call("PUT", "/devices/crash-" + d, "{}", 201);
        keys.put("crash-" + d, Base64.getDecoder().decode(created.get("primaryKey").asText()));
      }
      for (int i = 0; i < 3; i++) {
        gateway.call("POST", "/devices/crash-0/messages/devicebound",
            "{\"payload\":\"command " + i + "\",\"messageId\":\"cmd-" + i + "\"}", 201);
        inboxIds.add("cmd-" + i);
      }
      byte[] receiverKey = Base64.getDecoder().decode(
          gateway.call("PUT", "/devices/crash-receiver", "{}", 201).get("primaryKey").asText());
      receiveOverMqttUntilCompleted(gateway, receiverKey);

      AtomicBoolean running = new AtomicBoolean(true);
      CountDownLatch enough = new CountDownLatch(ACKED_BEFORE_KILL);
      List<Thread> publishers = new ArrayList<>();
      for (Map.Entry<String, byte[]> device : keys.entrySet()) {
        Mqtt5AsyncClient client = connect(gateway, device.getKey(), device.getValue());
        publishers.add(Thread.ofVirtual().start(() -> publish(client, device.getKey(), running, acked, enough)));
      }
      assertThat(enough.await(60, TimeUnit.SECONDS)).as("devices got %d PUBACKs before the kill", ACKED_BEFORE_KILL)
          .isTrue();
      gateway.kill();
      running.set(false);
      for (Thread publisher : publishers) {
        publisher.join(Duration.ofSeconds(30));
      }
      assertThat(acked.size()).isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);

      gateway.start();
      Map<String, String> stored = readWholeLog(gateway);
      assertThat(stored).as("every acknowledged message, with its payload, after SIGKILL and restart")
          .containsAllEntriesOf(acked);
      List<String> delivered = new ArrayList<>();
      for (int i = 0; i < inboxIds.size(); i++) {
        var message = gateway.asDevice("GET", "/devices/crash-0/messages/deviceBound", "crash-0", keys.get("crash-0"), 200);
        delivered.add(message.headers().firstValue("iothub-messageid").orElseThrow());
        String etag = message.headers().firstValue("ETag").orElseThrow().replace("\"", "");
        gateway.asDevice("DELETE", "/devices/crash-0/messages/deviceBound/" + etag, "crash-0", keys.get("crash-0"), 204);
      }
      assertThat(delivered).as("inbox messages accepted before the kill").containsExactlyElementsOf(inboxIds);
      gateway.asDevice("GET", "/devices/crash-0/messages/deviceBound", "crash-0", keys.get("crash-0"), 204);
      assertThat(completed(gateway)).as("MQTT completions before the kill")
          .containsExactlyInAnyOrderElementsOf(SETTLED);
      gateway.asDevice("GET", "/devices/crash-receiver/messages/deviceBound", "crash-receiver", receiverKey, 204);
    }
  }

  private static final List<String> SETTLED = List.of("settled-0", "settled-1", "settled-2");

  /**
   * Sends three messages asking for positive feedback, lets a device receive them over MQTT (the
   * client PUBACKs each), and returns once the gateway has recorded the three completions: the
   * feedback record is written in the completion's own transaction.
   */
  private static void receiveOverMqttUntilCompleted(GatewayProcess gateway, byte[] key) throws Exception {
    for (String id : SETTLED) {
      gateway.call("POST", "/devices/crash-receiver/messages/devicebound",
          "{\"payload\":\"" + id + "\",\"messageId\":\"" + id + "\",\"ack\":\"positive\"}", 201);
    }
    Mqtt5AsyncClient receiver = connect(gateway, "crash-receiver", key);
    CountDownLatch received = new CountDownLatch(SETTLED.size());
    receiver.subscribeWith().topicFilter("devices/crash-receiver/messages/devicebound/#").qos(MqttQos.AT_LEAST_ONCE)
        .callback(publish -> received.countDown()).send().get(20, TimeUnit.SECONDS);
    assertThat(received.await(20, TimeUnit.SECONDS)).isTrue();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> completed(gateway).size() == SETTLED.size());
    receiver.disconnect().get(20, TimeUnit.SECONDS);
  }

  private static List<String> completed(GatewayProcess gateway) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode record : gateway.call("GET", "/messages/feedback?limit=100", null, 200).get("items")) {
      if (record.get("statusCode").asText().equals("Success")) {
        ids.add(record.get("originalMessageId").asText());
      }
    }
    return ids;
  }

  private static void publish(Mqtt5AsyncClient client, String deviceId, AtomicBoolean running,
      Map<String, String> acked, CountDownLatch enough) {
    Semaphore window = new Semaphore(WINDOW);
    for (long n = 0; running.get(); n++) {
      try {
        if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      String messageId = deviceId + "-" + n;
      String payload = "reading " + n + " of " + deviceId;
      client.publishWith().topic("devices/" + deviceId + "/messages/events/$.mid=" + messageId)
          .qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send()
          .whenComplete((result, failure) -> {
            window.release();
            if (failure == null && accepted(result)) {
              acked.put(messageId, payload);
              enough.countDown();
            }
          });
    }
  }

  private static boolean accepted(Mqtt5PublishResult result) {
    return result.getError().isEmpty() && result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
        && !qos1.getPubAck().getReasonCode().isError();
  }

  private static Map<String, String> readWholeLog(GatewayProcess gateway) throws Exception {
    Map<String, String> stored = new HashMap<>();
    long from = 1;
    while (true) {
      JsonNode page = gateway.call("GET", "/telemetry?from=" + from + "&limit=1000", null, 200);
      for (JsonNode message : page.get("items")) {
        stored.put(message.at("/properties/messageId").asText(), message.get("payload").asText());
      }
      if (!page.hasNonNull("next") || page.get("items").isEmpty()) {
        return stored;
      }
      from = page.get("next").asLong();
    }
  }

  private static Mqtt5AsyncClient connect(GatewayProcess gateway, String deviceId, byte[] key) throws Exception {
    String token = SasSigner.token(GatewayProcess.HOST + "/devices/" + deviceId, key, Instant.now().plusSeconds(3600), null);
    Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(deviceId)
        .serverHost("localhost").serverPort(gateway.mqttPort())
        .sslConfig(MqttClientSslConfig.builder().trustManagerFactory(trust(gateway.caFile())).build())
        .simpleAuth().username(GatewayProcess.HOST + "/" + deviceId + "/?api-version=2021-04-12")
        .password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
        .buildAsync();
    client.connect().get(20, TimeUnit.SECONDS);
    return client;
  }

  private static TrustManagerFactory trust(Path caPem) throws Exception {
    try (InputStream in = Files.newInputStream(caPem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    }
  }
}
