package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.advanced.interceptor.qos1.Mqtt5IncomingQos1Interceptor;
import io.gatehouse.core.sas.SasSigner;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Identities registered through the service API and connected with a real MQTT 5 client (HiveMQ)
 * over TLS, as `gatehouse edge` connects its uplink; and the checks the edge tests share (audit
 * lines). Closing disconnects every client it made; as a {@code @RegisterExtension} field it closes
 * after each test by itself.
 */
final class Mqtt5Devices implements AutoCloseable, AfterEachCallback {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final GatewayFixture gw;
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

  Mqtt5Devices(GatewayFixture gw) {
    this.gw = gw;
  }

  /** Creates the identity through the service API and returns its primary key. */
  byte[] create(String id, String body) throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/devices/" + id, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Base64.getDecoder().decode(Json.of(created).get("primaryKey").asText());
  }

  Mqtt5AsyncClient connect(String id, byte[] key) throws Exception {
    return connect(client(id, new CompletableFuture<>(), null), id, key);
  }

  /** Connected with {@code acknowledgements} choosing the reason code of every PUBACK the client sends. */
  Mqtt5AsyncClient connect(String id, byte[] key, Mqtt5IncomingQos1Interceptor acknowledgements) throws Exception {
    return connect(client(id, new CompletableFuture<>(), acknowledgements), id, key);
  }

  Mqtt5AsyncClient connect(Mqtt5AsyncClient client, String id, byte[] key) throws Exception {
    connAck(client, id, key);
    return client;
  }

  /** Connects {@code client} and returns what the gateway announced in its CONNACK. */
  Mqtt5ConnAck connAck(Mqtt5AsyncClient client, String id, byte[] key) throws Exception {
    return client.connectWith().simpleAuth().username(userName(id)).password(token(id, key)).applySimpleAuth()
        .send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** A client not connected yet; {@code gone} completes when it is disconnected. */
  Mqtt5AsyncClient client(String id, CompletableFuture<Void> gone, Mqtt5IncomingQos1Interceptor acknowledgements)
      throws Exception {
    Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("localhost").serverPort(gw.gateway().mqttPort())
        .sslConfig().trustManagerFactory(trust()).applySslConfig()
        .addDisconnectedListener(context -> gone.complete(null));
    if (acknowledgements != null) {
      builder = builder.advancedConfig().interceptors().incomingQos1Interceptor(acknowledgements).applyInterceptors()
          .applyAdvancedConfig();
    }
    Mqtt5AsyncClient client = builder.buildAsync();
    clients.add(client);
    return client;
  }

  /** The sequence of the newest audit entry; entries written after it have higher ones. */
  long auditHead() throws Exception {
    return Json.of(gw.asOperator("GET", "/audit/verify", null)).get("headSequence").asLong();
  }

  /** An audit entry after {@code afterSequence} with this action and outcome whose reason contains {@code reason}. */
  void assertAudited(long afterSequence, String action, String outcome, String reason) {
    await().atMost(TIMEOUT).untilAsserted(() -> {
      JsonNode items = Json.of(gw.asOperator("GET", "/audit?from=" + (afterSequence + 1) + "&limit=100", null))
          .get("items");
      assertThat(items).anySatisfy(item -> {
        assertThat(item.get("action").asText()).isEqualTo(action);
        assertThat(item.get("outcome").asText()).isEqualTo(outcome);
        assertThat(item.get("reason").asText()).contains(reason);
      });
    });
  }

  static String userName(String id) {
    return GatewayFixture.HOST + "/" + id + "/?api-version=2021-04-12";
  }

  static byte[] token(String id, byte[] key) {
    return SasSigner.token(GatewayFixture.HOST + "/devices/" + id, key, Instant.now().plusSeconds(600), null)
        .getBytes(StandardCharsets.UTF_8);
  }

  private TrustManagerFactory trust() throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(gw.dataDirectory().resolve("ca.pem"))) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** Disconnects every client made so far (an already disconnected one is fine). */
  @Override
  public void close() {
    clients.forEach(c -> c.disconnect().exceptionally(e -> null));
    clients.clear();
  }
}
