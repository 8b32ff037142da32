package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.core.sas.SasSigner;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service gateway's allow-list for field gateways (SAC invariant: the gateway accepts only edges
 * it knows, speaking only for their own enabled children). A real MQTT 5 client connects as the edge
 * over TLS and publishes on its leaves' topics, as `gatehouse edge` does; every refusal is a PUBACK
 * 0x87 for that message alone, with an audit line, while the uplink and the siblings carry on.
 */
class EdgeAllowListTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir static Path data;
  static GatewayFixture gw;
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    gw = new GatewayFixture(data);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  @AfterEach
  void disconnect() {
    clients.forEach(c -> c.disconnect().exceptionally(e -> null));
  }

  @Test
  void anEdgePublishesForItsEnabledLeavesAndTheLogRecordsWhichEdgeCarriedThem() throws Exception {
    byte[] edgeKey = create("edge-a", "{\"kind\":\"edge\"}");
    create("a-temp", "{\"kind\":\"device\",\"parentId\":\"edge-a\"}");
    Mqtt5AsyncClient edge = connect("edge-a", edgeKey);
    long from = gw.gateway().telemetry().nextSequence();

    publish(edge, "a-temp", "{\"t\":21.5}");

    TelemetryMessage stored = gw.gateway().telemetry().read(from, 10).getFirst();
    assertThat(stored.deviceId()).isEqualTo("a-temp");
    assertThat(stored.gatewayId()).isEqualTo("edge-a");
    assertThat(new String(stored.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21.5}");
  }

  @Test
  void anEdgeIsRefusedForAnotherEdgesLeafAnUnknownDeviceAndAnUnparentedDeviceAndKeepsItsUplink() throws Exception {
    byte[] edgeKey = create("edge-b", "{\"kind\":\"edge\"}");
    create("edge-c", "{\"kind\":\"edge\"}");
    create("b-own", "{\"kind\":\"device\",\"parentId\":\"edge-b\"}");
    create("c-leaf", "{\"kind\":\"device\",\"parentId\":\"edge-c\"}");
    create("loner", "{\"kind\":\"device\"}");
    Mqtt5AsyncClient edge = connect("edge-b", edgeKey);

    assertRefused(edge, "c-leaf", "not a child of edge 'edge-b'");
    assertRefused(edge, "ghost", "'ghost' is not a registered leaf device");
    assertRefused(edge, "loner", "'loner' is not a registered leaf device");
    // The uplink is still up and its own leaf still gets through.
    publish(edge, "b-own", "{}");
    assertThat(edge.getState().isConnected()).isTrue();
  }

  @Test
  void disablingALeafRefusesItsNextMessageWhileItsSiblingCarriesOn() throws Exception {
    byte[] edgeKey = create("edge-d", "{\"kind\":\"edge\"}");
    create("d-1", "{\"kind\":\"device\",\"parentId\":\"edge-d\"}");
    create("d-2", "{\"kind\":\"device\",\"parentId\":\"edge-d\"}");
    Mqtt5AsyncClient edge = connect("edge-d", edgeKey);
    publish(edge, "d-1", "{}");

    assertThat(gw.asOperator("POST", "/devices/d-1/disable", "{\"reason\":\"tampered\"}").statusCode())
        .isEqualTo(200);

    assertRefused(edge, "d-1", "leaf device 'd-1' is disabled");
    publish(edge, "d-2", "{}");
    assertThat(gw.asOperator("POST", "/devices/d-1/enable", null).statusCode()).isEqualTo(200);
    publish(edge, "d-1", "{}");
  }

  @Test
  void aLeafMovedToAnotherEdgeIsRefusedToItsFormerEdge() throws Exception {
    byte[] edgeKey = create("edge-e", "{\"kind\":\"edge\"}");
    create("edge-f", "{\"kind\":\"edge\"}");
    create("mover", "{\"kind\":\"device\",\"parentId\":\"edge-e\"}");
    Mqtt5AsyncClient edge = connect("edge-e", edgeKey);
    publish(edge, "mover", "{}");

    HttpResponse<String> current = gw.asOperator("GET", "/devices/mover", null);
    String etag = Json.of(current).get("etag").asText();
    assertThat(gw.asOperator("PUT", "/devices/mover", "{\"kind\":\"device\",\"parentId\":\"edge-f\"}",
        "If-Match", etag).statusCode()).isEqualTo(200);

    assertRefused(edge, "mover", "not a child of edge 'edge-e'");
  }

  @Test
  void anOrdinaryDeviceCannotSpeakForAnother() throws Exception {
    byte[] key = create("plain", "{\"kind\":\"device\"}");
    create("edge-g", "{\"kind\":\"edge\"}");
    create("g-leaf", "{\"kind\":\"device\",\"parentId\":\"edge-g\"}");
    Mqtt5AsyncClient device = connect("plain", key);

    assertRefused(device, "g-leaf", "only a field gateway (kind edge) speaks for other devices");
  }

  @Test
  void disablingAnEdgeCutsItsUplinkWithinOneSecond() throws Exception {
    byte[] edgeKey = create("edge-h", "{\"kind\":\"edge\"}");
    create("h-leaf", "{\"kind\":\"device\",\"parentId\":\"edge-h\"}");
    CompletableFuture<Void> gone = new CompletableFuture<>();
    Mqtt5AsyncClient edge = client("edge-h", gone);
    edge.connectWith().simpleAuth().username(userName("edge-h")).password(token("edge-h", edgeKey)).applySimpleAuth()
        .send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    publish(edge, "h-leaf", "{}");

    assertThat(gw.asOperator("POST", "/devices/edge-h/disable", null).statusCode()).isEqualTo(200);

    gone.get(1, TimeUnit.SECONDS);
  }

  private void assertRefused(Mqtt5AsyncClient client, String leaf, String reason) throws Exception {
    long auditFrom = auditHead() + 1;
    assertThatThrownBy(() -> publish(client, leaf, "{}"))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(Mqtt5PubAckException.class)
        .satisfies(e -> assertThat(((Mqtt5PubAckException) e).getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    await().atMost(TIMEOUT).untilAsserted(() -> {
      JsonNode items = Json.of(gw.asOperator("GET", "/audit?from=" + auditFrom + "&limit=100", null)).get("items");
      assertThat(items).anySatisfy(item -> {
        assertThat(item.get("action").asText()).isEqualTo("mqtt.publish");
        assertThat(item.get("outcome").asText()).isEqualTo("denied");
        assertThat(item.get("reason").asText()).contains(reason);
      });
    });
  }

  private static long auditHead() throws Exception {
    return Json.of(gw.asOperator("GET", "/audit/verify", null)).get("headSequence").asLong();
  }

  private static void publish(Mqtt5AsyncClient client, String deviceId, String payload) throws Exception {
    client.publishWith().topic("devices/" + deviceId + "/messages/events/").qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8)).send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Creates the identity through the service API and returns its primary key. */
  private static byte[] create(String id, String body) throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/devices/" + id, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Base64.getDecoder().decode(Json.of(created).get("primaryKey").asText());
  }

  private Mqtt5AsyncClient connect(String id, byte[] key) throws Exception {
    Mqtt5AsyncClient client = client(id, new CompletableFuture<>());
    client.connectWith().simpleAuth().username(userName(id)).password(token(id, key)).applySimpleAuth()
        .send().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return client;
  }

  private Mqtt5AsyncClient client(String id, CompletableFuture<Void> gone) throws Exception {
    Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("localhost").serverPort(gw.gateway().mqttPort())
        .sslConfig().trustManagerFactory(trust()).applySslConfig()
        .addDisconnectedListener(context -> gone.complete(null))
        .buildAsync();
    clients.add(client);
    return client;
  }

  private static String userName(String id) {
    return GatewayFixture.HOST + "/" + id + "/?api-version=2021-04-12";
  }

  private static byte[] token(String id, byte[] key) {
    return SasSigner.token(GatewayFixture.HOST + "/devices/" + id, key, Instant.now().plusSeconds(600), null)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static TrustManagerFactory trust() throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(gw.dataDirectory().resolve("ca.pem"))) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf;
  }
}
