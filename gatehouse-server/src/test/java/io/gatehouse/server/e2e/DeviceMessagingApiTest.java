package io.gatehouse.server.e2e;

import static io.gatehouse.server.e2e.DeviceApiClient.detail;
import static io.gatehouse.server.e2e.DeviceApiClient.text;
import static io.gatehouse.server.e2e.DeviceApiClient.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.x509.Certificates;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Telemetry over the Azure IoT Hub HTTPS device protocol, over real TLS, with the requests the
 * Azure device SDKs send: single and batch messages, device tokens, client certificates, refusals.
 */
class DeviceMessagingApiTest {
  private static final String EVENTS = "/devices/{id}/messages/events";
  private static final String RECEIVE = "/devices/{id}/messages/deviceBound";
  private static final String BATCH = "application/vnd.microsoft.iothub.json";

  @RegisterExtension static final DeviceApiClient api = DeviceApiClient.perTestClass();

  @Test
  void singleMessageKeepsItsPropertiesAndIsDurableWhenAnswered() throws Exception {
    String key = api.register("tele-1");
    long from = api.log().nextSequence();

    HttpResponse<byte[]> sent = api.call("POST", "/devices/tele-1/messages/events?api-version=2020-09-30",
        "{\"temp\":21.5}".getBytes(StandardCharsets.UTF_8), "Authorization", token("tele-1", key),
        "Content-Type", "binary/octet-stream", "iothub-to", "/devices/tele-1/messages/events",
        "iothub-app-temperatureAlert", "false", "iothub-app-site", "plant 7", "iothub-messageid", "m-1",
        "iothub-correlationid", "c-1", "iothub-userid", "u-1", "iothub-contenttype", "application/json",
        "iothub-contentencoding", "utf-8", "iothub-creation-time-utc", "2026-01-01T00:00:00Z");

    assertThat(sent.statusCode()).as(text(sent)).isEqualTo(204);
    api.documented("POST", EVENTS, sent);
    List<TelemetryMessage> stored = api.log().read(from, 10);
    assertThat(stored).hasSize(1);
    TelemetryMessage message = stored.get(0);
    assertThat(message.deviceId()).isEqualTo("tele-1");
    assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"temp\":21.5}");
    assertThat(message.properties().messageId()).isEqualTo("m-1");
    assertThat(message.properties().correlationId()).isEqualTo("c-1");
    assertThat(message.properties().userId()).isEqualTo("u-1");
    assertThat(message.properties().contentType()).isEqualTo("application/json");
    assertThat(message.properties().contentEncoding()).isEqualTo("utf-8");
    assertThat(message.properties().application())
        .containsExactlyInAnyOrderEntriesOf(Map.of("temperatureAlert", "false", "site", "plant 7"));
  }

  /** The Java SDK's software token: fields in the order sig, se, sr, and sr not percent-encoded. */
  @Test
  void javaSdkTokenWithRawResourceIsAccepted() throws Exception {
    String key = api.register("tele-java");
    String sr = GatewayFixture.HOST + "/devices/tele-java";
    String se = Long.toString(Instant.now().plusSeconds(600).getEpochSecond());
    String sig = Base64.getEncoder().encodeToString(SasSigner.mac(Base64.getDecoder().decode(key), sr, se));
    String token = "SharedAccessSignature sig=" + sig.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
        + "&se=" + se + "&sr=" + sr;

    HttpResponse<byte[]> sent = api.call("POST", "/devices/tele-java/messages/events?api-version=2020-09-30",
        new byte[] {1, 2, 3}, "Authorization", token);

    assertThat(sent.statusCode()).as(text(sent)).isEqualTo(204);
  }

  @Test
  void batchIsAppendedInOrderWithEachElementsProperties() throws Exception {
    String key = api.register("batch-1");
    long from = api.log().nextSequence();
    String batch = "[{\"body\":\"" + Base64.getEncoder().encodeToString("one".getBytes(StandardCharsets.UTF_8))
        + "\",\"base64Encoded\":true,\"properties\":{\"iothub-app-n\":\"1\",\"iothub-messageid\":\"b-1\"}},"
        + "{\"body\":\"two\",\"base64Encoded\":false,\"properties\":{\"iothub-app-n\":\"2\","
        + "\"iothub-contenttype\":\"text/plain\",\"iothub-correlationid\":\"b-c\"}},"
        + "{\"body\":\"three\"}]";

    HttpResponse<byte[]> sent = api.call("POST", "/devices/batch-1/messages/events?api-version=2016-11-14",
        batch.getBytes(StandardCharsets.UTF_8), "Authorization", token("batch-1", key), "Content-Type", BATCH);

    assertThat(sent.statusCode()).as(text(sent)).isEqualTo(204);
    api.documented("POST", EVENTS, sent);
    List<TelemetryMessage> stored = api.log().read(from, 10);
    assertThat(stored).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
        .containsExactly("one", "two", "three");
    assertThat(stored).allSatisfy(m -> assertThat(m.deviceId()).isEqualTo("batch-1"));
    assertThat(stored.get(0).properties().messageId()).isEqualTo("b-1");
    assertThat(stored.get(0).properties().application()).containsExactlyEntriesOf(Map.of("n", "1"));
    assertThat(stored.get(1).properties().contentType()).isEqualTo("text/plain");
    assertThat(stored.get(1).properties().correlationId()).isEqualTo("b-c");
    assertThat(stored.get(2).properties().application()).isEmpty();
  }

  @Test
  void badBatchIsRefusedNamingTheElementAndNothingIsAppended() throws Exception {
    String token = token("batch-bad", api.register("batch-bad"));
    long from = api.log().nextSequence();
    String good = "{\"body\":\"ok\"}";
    String path = "/devices/batch-bad/messages/events";

    HttpResponse<byte[]> notBoolean = batch(path, token, "[" + good + ",{\"body\":\"x\",\"base64Encoded\":\"yes\"}]");
    HttpResponse<byte[]> notBase64 = batch(path, token, "[" + good + "," + good
        + ",{\"body\":\"***\",\"base64Encoded\":true}]");
    HttpResponse<byte[]> unknownMember = batch(path, token, "[{\"body\":\"x\",\"colour\":\"red\"}]");
    HttpResponse<byte[]> numberProperty = batch(path, token, "[{\"body\":\"x\",\"properties\":{\"iothub-app-n\":1}}]");
    HttpResponse<byte[]> notAnArray = batch(path, token, good);
    HttpResponse<byte[]> notJson = batch(path, token, "[{");
    HttpResponse<byte[]> empty = batch(path, token, "[]");

    assertThat(notBoolean.statusCode()).isEqualTo(400);
    api.documented("POST", EVENTS, notBoolean);
    assertThat(detail(notBoolean)).contains("batch element [1]", "base64Encoded");
    assertThat(detail(notBase64)).contains("batch element [2]", "base64");
    assertThat(detail(unknownMember)).contains("batch element [0]", "colour");
    assertThat(detail(numberProperty)).contains("batch element [0]", "iothub-app-n");
    assertThat(detail(notAnArray)).contains("array");
    assertThat(detail(notJson)).contains("not valid JSON");
    assertThat(detail(empty)).contains("empty");
    assertThat(api.log().nextSequence()).as("nothing of a refused batch is appended").isEqualTo(from);
  }

  @Test
  void aPropertyHeaderGivenTwiceIsRefused() throws Exception {
    String key = api.register("twice-1");
    HttpResponse<byte[]> sent = api.call("POST", "/devices/twice-1/messages/events", new byte[] {1},
        "Authorization", token("twice-1", key), "iothub-app-a", "1", "iothub-app-A", "2");

    assertThat(sent.statusCode()).isEqualTo(400);
    assertThat(detail(sent)).contains("more than once");
  }

  @Test
  void missingWrongExpiredMalformedAndServiceCredentialsAre401() throws Exception {
    String key = api.register("auth-1");
    String otherKey = api.register("auth-other");
    String path = "/devices/auth-1/messages/events";
    byte[] body = {1};

    HttpResponse<byte[]> none = api.call("POST", path, body);
    HttpResponse<byte[]> wrongKey = api.call("POST", path, body, "Authorization", token("auth-1", otherKey));
    HttpResponse<byte[]> expired = api.call("POST", path, body, "Authorization",
        SasSigner.token(GatewayFixture.HOST + "/devices/auth-1", Base64.getDecoder().decode(key),
            Instant.now().minus(Duration.ofHours(1)), null));
    HttpResponse<byte[]> service = api.call("POST", path, body, "Authorization",
        GatewayFixture.serviceToken(api.gw.operatorCredential(), Instant.now().plusSeconds(600)));
    HttpResponse<byte[]> malformed = api.call("POST", path, body, "Authorization", "SharedAccessSignature nonsense");
    HttpResponse<byte[]> unknownDevice = api.call("GET", "/devices/auth-none/messages/deviceBound", null,
        "Authorization", token("auth-none", key));

    for (HttpResponse<byte[]> refused : List.of(none, wrongKey, expired, service, malformed)) {
      assertThat(refused.statusCode()).as(text(refused)).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("SharedAccessSignature");
      api.documented("POST", EVENTS, refused);
    }
    assertThat(unknownDevice.statusCode()).isEqualTo(401);
    api.documented("GET", RECEIVE, unknownDevice);
    assertThat(detail(none)).contains("no device credential");
    assertThat(api.auditEntries()).anySatisfy(entry -> {
      assertThat(entry.path("action").asText()).isEqualTo("https.telemetry");
      assertThat(entry.path("outcome").asText()).isEqualTo("failure");
      assertThat(entry.path("target").asText()).isEqualTo("device:auth-1");
      assertThat(entry.path("reason").asText()).contains("expired");
    });
  }

  @Test
  void aDeviceActingForAnotherIs403AndAudited() throws Exception {
    String key = api.register("actor-1");
    api.register("victim-1");

    HttpResponse<byte[]> send = api.call("POST", "/devices/victim-1/messages/events", new byte[] {1},
        "Authorization", token("actor-1", key));
    HttpResponse<byte[]> receive = api.call("GET", "/devices/victim-1/messages/deviceBound", null,
        "Authorization", token("actor-1", key));

    assertThat(send.statusCode()).as(text(send)).isEqualTo(403);
    assertThat(receive.statusCode()).as(text(receive)).isEqualTo(403);
    assertThat(detail(send)).contains("actor-1", "victim-1");
    api.documented("POST", EVENTS, send);
    api.documented("GET", RECEIVE, receive);
    assertThat(api.auditEntries()).anySatisfy(entry -> {
      assertThat(entry.path("action").asText()).isEqualTo("https.telemetry");
      assertThat(entry.path("outcome").asText()).isEqualTo("denied");
      assertThat(entry.path("actor").asText()).isEqualTo("device:actor-1");
      assertThat(entry.path("target").asText()).isEqualTo("device:victim-1");
      assertThat(entry.path("sourceAddress").asText()).startsWith("127.0.0.1:");
    });
  }

  @Test
  void aDisabledDeviceIsRefusedOnItsNextCall() throws Exception {
    String token = token("disable-1", api.register("disable-1"));
    String path = "/devices/disable-1/messages/events";
    assertThat(api.call("POST", path, new byte[] {1}, "Authorization", token).statusCode()).isEqualTo(204);

    assertThat(api.gw.asOperator("POST", "/devices/disable-1/disable", "{\"reason\":\"stolen\"}").statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> refused = api.call("POST", path, new byte[] {2}, "Authorization", token);
    assertThat(refused.statusCode()).as(text(refused)).isEqualTo(403);
    assertThat(detail(refused)).contains("disabled");
    api.documented("POST", EVENTS, refused);

    assertThat(api.gw.asOperator("POST", "/devices/disable-1/enable", null).statusCode()).isEqualTo(200);
    assertThat(api.call("POST", path, new byte[] {3}, "Authorization", token).statusCode()).isEqualTo(204);
  }

  @Test
  void aReplacedKeyOrADeletedDeviceIsRefusedOnTheNextCall() throws Exception {
    String oldToken = token("rekey-1", api.register("rekey-1"));
    String path = "/devices/rekey-1/messages/events";
    // The first call leaves the device in the gateway's lookup cache; every change must still count at once.
    assertThat(api.call("POST", path, new byte[] {1}, "Authorization", oldToken).statusCode()).isEqualTo(204);

    HttpResponse<String> rekeyed =
        api.gw.asOperator("POST", "/devices/rekey-1/keys/regenerate", "{\"key\":\"primary\"}");
    assertThat(rekeyed.statusCode()).as(rekeyed.body()).isEqualTo(200);
    assertThat(api.call("POST", path, new byte[] {2}, "Authorization", oldToken).statusCode()).isEqualTo(401);
    String newToken = token("rekey-1", Json.of(rekeyed).path("primaryKey").asText());
    assertThat(api.call("POST", path, new byte[] {3}, "Authorization", newToken).statusCode()).isEqualTo(204);

    assertThat(api.gw.asOperator("DELETE", "/devices/rekey-1", null).statusCode()).isEqualTo(204);
    assertThat(api.call("POST", path, new byte[] {4}, "Authorization", newToken).statusCode()).isEqualTo(401);
  }

  @Test
  void x509DeviceSendsTelemetryWithItsCertificateAndNoToken() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate certificate = DeviceApiClient.selfSigned(keys, "x509-1");
    HttpResponse<String> created = api.gw.asOperator("PUT", "/devices/x509-1", "{\"authentication\":{"
        + "\"type\":\"x509-thumbprint\",\"primaryThumbprint\":\"" + Certificates.sha256Thumbprint(certificate) + "\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String sasKey = api.register("x509-sas");
    long from = api.log().nextSequence();

    try (HttpClient device = api.clientWithCertificate(keys, certificate)) {
      HttpResponse<byte[]> sent = api.call(device, "POST", "/devices/x509-1/messages/events?api-version=2020-09-30",
          "hello".getBytes(StandardCharsets.UTF_8), "iothub-app-via", "x509");
      HttpResponse<byte[]> empty = api.call(device, "GET", "/devices/x509-1/messages/devicebound", null);
      HttpResponse<byte[]> notItsDevice = api.call(device, "POST", "/devices/x509-sas/messages/events", new byte[] {1});
      HttpResponse<byte[]> tokenWins = api.call(device, "POST", "/devices/x509-sas/messages/events", new byte[] {1},
          "Authorization", token("x509-sas", sasKey));

      assertThat(sent.statusCode()).as(text(sent)).isEqualTo(204);
      api.documented("POST", EVENTS, sent);
      assertThat(empty.statusCode()).as(text(empty)).isEqualTo(204);
      api.documented("GET", RECEIVE, empty);
      assertThat(notItsDevice.statusCode()).as(text(notItsDevice)).isEqualTo(401);
      assertThat(tokenWins.statusCode()).as("a token, when sent, is the credential").isEqualTo(204);
    }
    List<TelemetryMessage> stored = api.log().read(from, 10);
    assertThat(stored).extracting(TelemetryMessage::deviceId).containsExactly("x509-1", "x509-sas");
    assertThat(new String(stored.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(stored.get(0).properties().application()).containsEntry("via", "x509");
  }

  private static HttpResponse<byte[]> batch(String path, String token, String json) throws Exception {
    return api.call("POST", path, json.getBytes(StandardCharsets.UTF_8), "Authorization", token, "Content-Type", BATCH);
  }
}
