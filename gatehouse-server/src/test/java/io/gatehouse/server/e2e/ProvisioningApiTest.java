package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.provisioning.GroupKeys;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.x509.Certificates;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DPS-compatible provisioning API over real HTTPS: enrollments through the service API, then
 * registrations as DPS clients send them, the device they create, and every refusal in DPS's
 * error shape with its audit line.
 */
class ProvisioningApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final DeviceApiClient client = DeviceApiClient.perTestClass();
  static final GatewayFixture gw = client.gw;
  static String scope;

  @BeforeAll
  static void scope() throws Exception {
    scope = Json.of(gw.asOperator("GET", "/provisioning", null)).get("idScope").asText();
  }

  /** Creates an enrollment group and returns its (generated) primary key, shown only in this answer. */
  private static String group(String id, String extra) throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/enrollmentGroups/" + id, "{" + extra + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = Json.of(created);
    assertThat(body.get("attestation").get("type").asText()).isEqualTo("symmetric-key");
    return body.get("primaryKey").asText();
  }

  /** A registration token as the C SDK signs it: sr percent-encoded, skn=registration. */
  private static String token(String registrationId, String key, Instant expiry) {
    return SasSigner.token(scope + "/registrations/" + registrationId, Base64.getDecoder().decode(key), expiry,
        "registration");
  }

  /** As the Java SDK signs it: sr raw, an empty skn, fields sr, sig, se. */
  private static String javaStyleToken(String registrationId, String key, Instant expiry) {
    String sr = scope + "/registrations/" + registrationId;
    String se = Long.toString(expiry.getEpochSecond());
    String sig = Base64.getEncoder().encodeToString(SasSigner.mac(Base64.getDecoder().decode(key), sr, se));
    return "SharedAccessSignature sr=" + sr + "&sig=" + java.net.URLEncoder.encode(sig, StandardCharsets.UTF_8)
        + "&se=" + se + "&skn=";
  }

  private static HttpResponse<byte[]> register(String registrationId, String authorization) throws Exception {
    return register(client.http, scope, registrationId, "{\"registrationId\":\"" + registrationId + "\"}",
        authorization);
  }

  private static HttpResponse<byte[]> register(HttpClient http, String idScope, String registrationId, String body,
      String authorization) throws Exception {
    List<String> headers = new java.util.ArrayList<>(List.of("Content-Type", "application/json; charset=utf-8",
        "Accept", "application/json"));
    if (authorization != null) {
      headers.addAll(List.of("Authorization", authorization));
    }
    return client.call(http, "PUT", "/" + idScope + "/registrations/" + registrationId + "/register?api-version=2019-03-31",
        body.getBytes(StandardCharsets.UTF_8), headers.toArray(String[]::new));
  }

  private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** A DPS error: status, errorCode = status * 1000 + n, a trackingId, the message, a timestamp. */
  private static void assertDpsError(HttpResponse<byte[]> response, int status, String message) throws Exception {
    assertThat(response.statusCode()).as(DeviceApiClient.text(response)).isEqualTo(status);
    JsonNode error = json(response);
    assertThat(error.get("errorCode").asInt() / 1000).isEqualTo(status);
    assertThat(error.get("trackingId").asText()).isNotBlank();
    assertThat(error.get("timestampUtc").asText()).isNotBlank();
    assertThat(error.get("message").asText()).contains(message);
    assertThat(DeviceApiClient.header(response, "x-ms-error-code")).isEqualTo(error.get("errorCode").asText());
  }

  private static void assertAudited(String registrationId, String outcome, String reason) throws Exception {
    assertThat(client.auditEntries()).anySatisfy(entry -> {
      assertThat(entry.get("actor").asText()).isEqualTo("registration:" + registrationId);
      assertThat(entry.get("action").asText()).startsWith("dps.");
      assertThat(entry.get("outcome").asText()).isEqualTo(outcome);
      assertThat(entry.get("reason").asText()).contains(reason);
      assertThat(entry.get("sourceAddress").asText()).startsWith("127.0.0.1:");
    });
  }

  @Test
  void theIdScopeIsShownAndStable() throws Exception {
    assertThat(scope).matches("0ne[0-9A-F]{8}");
    assertThat(gw.gateway().report().render()).contains("ID scope " + scope);
  }

  @Test
  void aGroupMemberProvisionsWithItsDerivedKeyAndThenSendsTelemetry() throws Exception {
    String groupKey = group("plant-7", "\"tags\":{\"site\":\"plant-7\"}");
    String deviceKey = GroupKeys.derive(groupKey, "sensor-001");

    HttpResponse<byte[]> answer = register("sensor-001", token("sensor-001", deviceKey, Instant.now().plusSeconds(3600)));
    assertThat(answer.statusCode()).as(DeviceApiClient.text(answer)).isEqualTo(200);
    JsonNode operation = json(answer);
    assertThat(operation.get("status").asText()).isEqualTo("assigned");
    JsonNode state = operation.get("registrationState");
    assertThat(state.get("registrationId").asText()).isEqualTo("sensor-001");
    assertThat(state.get("deviceId").asText()).isEqualTo("sensor-001");
    assertThat(state.get("assignedHub").asText()).isEqualTo(GatewayFixture.HOST);
    assertThat(state.get("substatus").asText()).isEqualTo("initialAssignment");
    assertThat(state.at("/symmetricKey/enrollmentGroupId").asText()).isEqualTo("plant-7");
    assertThat(state.get("etag").asText()).isNotBlank();

    JsonNode device = Json.of(gw.asOperator("GET", "/devices/sensor-001", null));
    assertThat(device.at("/provisioning/attestation").asText()).isEqualTo("symmetric-key");
    assertThat(device.at("/provisioning/enrollment").asText()).isEqualTo("group/plant-7");
    assertThat(device.at("/tags/site").asText()).isEqualTo("plant-7");

    // The device connects with the derived key: an IoT Hub device token, the same key.
    HttpResponse<byte[]> sent = client.call("POST", "/devices/sensor-001/messages/events",
        "{\"t\":1}".getBytes(StandardCharsets.UTF_8), "Authorization", DeviceApiClient.token("sensor-001", deviceKey));
    assertThat(sent.statusCode()).as(DeviceApiClient.text(sent)).isEqualTo(204);

    JsonNode record = Json.of(gw.asOperator("GET", "/registrations/sensor-001", null));
    assertThat(record.get("enrollment").asText()).isEqualTo("group/plant-7");
    assertThat(Json.of(gw.asOperator("GET", "/enrollmentGroups/plant-7/registrations", null)).get("items"))
        .extracting(r -> r.get("registrationId").asText()).contains("sensor-001");
    assertThat(Json.of(gw.asOperator("GET", "/enrollmentGroups/plant-7", null)).has("primaryKey"))
        .as("the group key is shown once, on create").isFalse();
  }

  @Test
  void javaStyleTokensWorkAndOperationsCanBePolledWithTheSameToken() throws Exception {
    String groupKey = group("java-line", "");
    String deviceKey = GroupKeys.derive(groupKey, "java-dev");
    String token = javaStyleToken("java-dev", deviceKey, Instant.now().plusSeconds(3600));
    HttpResponse<byte[]> answer = register("java-dev", token);
    assertThat(answer.statusCode()).as(DeviceApiClient.text(answer)).isEqualTo(200);
    String operationId = json(answer).get("operationId").asText();

    HttpResponse<byte[]> polled = client.call("GET", "/" + scope + "/registrations/java-dev/operations/" + operationId
        + "?api-version=2019-03-31", null, "Authorization", token);
    assertThat(polled.statusCode()).as(DeviceApiClient.text(polled)).isEqualTo(200);
    assertThat(json(polled).at("/registrationState/deviceId").asText()).isEqualTo("java-dev");

    HttpResponse<byte[]> status = client.call("POST", "/" + scope + "/registrations/java-dev?api-version=2021-06-01",
        "{\"registrationId\":\"java-dev\"}".getBytes(StandardCharsets.UTF_8), "Authorization",
        token("java-dev", deviceKey, Instant.now().plusSeconds(600)), "Content-Type", "application/json");
    assertThat(status.statusCode()).as(DeviceApiClient.text(status)).isEqualTo(200);

    HttpResponse<byte[]> otherOperation = client.call("GET", "/" + scope + "/registrations/java-dev/operations/nope",
        null, "Authorization", token);
    assertDpsError(otherOperation, 404, "has no operation 'nope'");
    String stranger = token("java-dev", GroupKeys.derive(groupKey, "someone-else"), Instant.now().plusSeconds(60));
    assertDpsError(client.call("GET", "/" + scope + "/registrations/java-dev/operations/" + operationId, null,
        "Authorization", stranger), 401, "no enrollment admits");
  }

  @Test
  void badRegistrationsAreRefusedInDpsShapeAndAudited() throws Exception {
    String groupKey = group("line-7", "\"registrationIdPattern\":\"line7-*\"");
    Instant hour = Instant.now().plusSeconds(3600);

    // unknown registration id: no enrollment admits it with this (or any) key
    assertDpsError(register("nobody-1", token("nobody-1", Base64.getEncoder().encodeToString(new byte[32]), hour)),
        401, "no enrollment admits registration id 'nobody-1'");
    assertAudited("nobody-1", "failure", "no enrollment admits");

    // a group key used for a registration id outside the group
    assertDpsError(register("line8-x", token("line8-x", GroupKeys.derive(groupKey, "line8-x"), hour)), 401,
        "outside enrollment group 'line-7'");
    assertAudited("line8-x", "failure", "only registration ids matching 'line7-*'");

    // the group key itself instead of the derived key: a wrong signature
    assertDpsError(register("line7-a", token("line7-a", groupKey, hour)), 401, "no enrollment admits");

    // an expired token
    assertDpsError(register("line7-a", token("line7-a", GroupKeys.derive(groupKey, "line7-a"),
        Instant.now().minusSeconds(3600))), 401, "expired");
    // a token living longer than a day
    assertDpsError(register("line7-a", token("line7-a", GroupKeys.derive(groupKey, "line7-a"),
        Instant.now().plusSeconds(3 * 86400))), 401, "days ahead");

    // a replayed register call: the same token twice
    String once = token("line7-b", GroupKeys.derive(groupKey, "line7-b"), hour);
    assertThat(register("line7-b", once).statusCode()).isEqualTo(200);
    assertDpsError(register("line7-b", once), 401, "registers once");
    assertAudited("line7-b", "failure", "registers once");

    // a mismatching ID scope, in the path and in the token
    assertDpsError(register(client.http, "0ne00000000", "line7-c", "{\"registrationId\":\"line7-c\"}",
        token("line7-c", GroupKeys.derive(groupKey, "line7-c"), hour)), 404, "is not this provisioning service's");
    String otherScope = SasSigner.token("0ne00000000/registrations/line7-c",
        Base64.getDecoder().decode(GroupKeys.derive(groupKey, "line7-c")), hour, "registration");
    assertDpsError(register("line7-c", otherScope), 401, "is for '0ne00000000/registrations/line7-c'");
    // a token for every registration of the scope (a prefix) is no registration token
    String prefix = SasSigner.token(scope + "/registrations",
        Base64.getDecoder().decode(GroupKeys.derive(groupKey, "line7-c")), hour, "registration");
    assertDpsError(register("line7-c", prefix), 401, "is for '" + scope + "/registrations', not for");

    // malformed and oversized bodies, an invalid registration id, no credential at all
    String valid = token("line7-d", GroupKeys.derive(groupKey, "line7-d"), hour);
    assertDpsError(register(client.http, scope, "line7-d", "{\"registrationId\":", valid), 400, "not valid JSON");
    assertDpsError(register(client.http, scope, "line7-d", "{\"registrationId\":\"line7-e\"}", valid), 400,
        "not the one in the path");
    assertDpsError(register(client.http, scope, "line7-d", "{\"registrationId\":\"line7-d\",\"csr\":\"x\"}", valid),
        400, "certificate signing requests are not supported");
    assertDpsError(register(client.http, scope, "line7-d", "{\"registrationId\":\"line7-d\",\"payload\":\""
        + "x".repeat(20_000) + "\"}", valid), 413, "at most 16384");
    assertDpsError(register(client.http, scope, "bad!id", "{\"registrationId\":\"bad!id\"}", valid), 400,
        "registration id contains '!'");
    assertDpsError(register("line7-d", null), 401, "no credential");
    assertAudited("line7-d", "failure", "at most 16384");

    // a disabled enrollment
    assertThat(gw.asOperator("POST", "/enrollmentGroups/line-7/disable", null).statusCode()).isEqualTo(200);
    assertDpsError(register("line7-f", token("line7-f", GroupKeys.derive(groupKey, "line7-f"), hour)), 403,
        "enrollment group 'line-7' is disabled");
    assertAudited("line7-f", "denied", "is disabled");
    assertThat(gw.asOperator("POST", "/enrollmentGroups/line-7/enable", null).statusCode()).isEqualTo(200);
    assertThat(register("line7-f", token("line7-f", GroupKeys.derive(groupKey, "line7-f"), hour)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void anIndividualEnrollmentAssignsItsDeviceIdParentAndPolicy() throws Exception {
    assertThat(gw.asOperator("PUT", "/devices/edge-9", "{\"kind\":\"edge\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> created = gw.asOperator("PUT", "/enrollments/Pump-12", "{\"deviceId\":\"pump-twelve\","
        + "\"parentId\":\"edge-9\",\"tags\":{\"role\":\"pump\"},\"reprovisionPolicy\":\"reset\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String key = Json.of(created).get("secondaryKey").asText();

    JsonNode first = json(register("Pump-12", token("Pump-12", key, Instant.now().plusSeconds(600))));
    assertThat(first.at("/registrationState/deviceId").asText()).isEqualTo("pump-twelve");
    assertThat(first.at("/registrationState/symmetricKey").isObject()).isTrue();
    JsonNode device = Json.of(gw.asOperator("GET", "/devices/pump-twelve", null));
    assertThat(device.get("parentId").asText()).isEqualTo("edge-9");
    assertThat(device.at("/provisioning/enrollment").asText()).isEqualTo("individual/pump-12");

    // an operator changes the tags; a reset policy puts the enrollment's back on the next registration
    String etag = device.get("etag").asText();
    assertThat(gw.asOperator("PUT", "/devices/pump-twelve", "{\"parentId\":\"edge-9\",\"tags\":{\"role\":\"x\"}}",
        "If-Match", "\"" + etag + "\"").statusCode()).isEqualTo(200);
    JsonNode again = json(register("pump-12", token("pump-12", key, Instant.now().plusSeconds(601))));
    assertThat(again.at("/registrationState/substatus").asText()).isEqualTo("deviceDataReset");
    assertThat(Json.of(gw.asOperator("GET", "/devices/pump-twelve", null)).at("/tags/role").asText()).isEqualTo("pump");

    // a device the registration did not provision is never taken over
    assertThat(gw.asOperator("PUT", "/devices/taken", "{}").statusCode()).isEqualTo(201);
    String takenKey = Json.of(gw.asOperator("PUT", "/enrollments/taken", "{}")).get("primaryKey").asText();
    assertDpsError(register("taken", token("taken", takenKey, Instant.now().plusSeconds(600))), 409,
        "taken by a device created through the service API");

    // a device an operator disabled stays disabled
    assertThat(gw.asOperator("POST", "/devices/pump-twelve/disable", "{\"reason\":\"stolen\"}").statusCode())
        .isEqualTo(200);
    assertDpsError(register("pump-12", token("pump-12", key, Instant.now().plusSeconds(602))), 403,
        "an operator must enable it");
  }

  @Test
  void fieldGatewaysProvisionTheSameWay() throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/enrollmentGroups/edges", "{\"deviceKind\":\"edge\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(Json.of(created).get("deviceKind").asText()).isEqualTo("edge");
    String key = GroupKeys.derive(Json.of(created).get("primaryKey").asText(), "edge-site-3");
    HttpResponse<byte[]> answer = register("edge-site-3", token("edge-site-3", key, Instant.now().plusSeconds(600)));
    assertThat(answer.statusCode()).as(DeviceApiClient.text(answer)).isEqualTo(200);
    assertThat(Json.of(gw.asOperator("GET", "/devices/edge-site-3", null)).get("kind").asText()).isEqualTo("edge");

    HttpResponse<String> withParent = gw.asOperator("PUT", "/enrollmentGroups/edges-2",
        "{\"deviceKind\":\"edge\",\"parentId\":\"edge-site-3\"}");
    assertThat(withParent.statusCode()).isEqualTo(400);
    assertThat(withParent.body()).contains("names no parent");
  }

  @Test
  void x509DevicesProvisionWithTheirClientCertificate() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate certificate = DeviceApiClient.selfSigned(keys, "cam-1");
    assertThat(gw.asOperator("PUT", "/enrollments/cam-1", "{\"attestation\":{\"type\":\"x509\",\"primaryThumbprint\":\""
        + Certificates.sha256Thumbprint(certificate) + "\"}}").statusCode()).isEqualTo(201);
    HttpClient camera = client.clientWithCertificate(keys, certificate);

    HttpResponse<byte[]> answer = register(camera, scope, "cam-1", "{\"registrationId\":\"cam-1\"}", null);
    assertThat(answer.statusCode()).as(DeviceApiClient.text(answer)).isEqualTo(200);
    JsonNode info = json(answer).at("/registrationState/x509/certificateInfo");
    assertThat(info.get("sha256Thumbprint").asText()).isEqualToIgnoringCase(Certificates.sha256Thumbprint(certificate));
    assertThat(info.get("subjectName").asText()).isEqualTo("CN=cam-1");
    JsonNode device = Json.of(gw.asOperator("GET", "/devices/cam-1", null));
    assertThat(device.at("/authentication/type").asText()).isEqualTo("x509-thumbprint");
    assertThat(device.at("/provisioning/attestation").asText()).isEqualTo("x509");

    // the certificate then authenticates the device on the device API
    HttpResponse<byte[]> sent = client.call(camera, "POST", "/devices/cam-1/messages/events", "{}".getBytes());
    assertThat(sent.statusCode()).as(DeviceApiClient.text(sent)).isEqualTo(204);

    // a certificate whose CN is not the registration id, and an unenrolled certificate
    KeyPair other = KeyPairGenerator.getInstance("EC").generateKeyPair();
    HttpClient stranger = client.clientWithCertificate(other, DeviceApiClient.selfSigned(other, "cam-1"));
    assertDpsError(register(stranger, scope, "cam-1", "{\"registrationId\":\"cam-1\"}", null), 401,
        "thumbprint does not match");
    assertDpsError(register(camera, scope, "cam-2", "{\"registrationId\":\"cam-2\"}", null), 401,
        "subject CN 'cam-1' is not the registration id 'cam-2'");
  }

  @Test
  void tpmRegistrationsSayPreciselyWhatIsMissing() throws Exception {
    byte[] ek = TpmEnrollmentApiTest.tpm2bPublic(
        (java.security.interfaces.RSAPublicKey) TpmEnrollmentApiTest.rsa().getPublic());
    String enrolledEk = Base64.getEncoder().encodeToString(ek);
    HttpResponse<String> created = gw.asOperator("PUT", "/enrollments/tpm-dev",
        "{\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\"" + enrolledEk + "\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(Json.of(created).at("/attestation/ekPinnedWithoutCertificate").asBoolean()).isTrue();

    String body = "{\"registrationId\":\"tpm-dev\",\"tpm\":{\"endorsementKey\":\"" + enrolledEk
        + "\",\"storageRootKey\":\"AAQFBgcI\"}}";
    // the EK is the enrolled one, but the SRK is no RSA storage key: no blob can be made for it
    assertDpsError(register(client.http, scope, "tpm-dev", body, null), 400,
        "the TPM keys cannot be used: storageRootKey");
    String forged = body.replace(enrolledEk, Base64.getEncoder().encodeToString(new byte[] {9, 9}));
    assertDpsError(register(client.http, scope, "tpm-dev", forged, null), 401, "not the one enrolled");
    assertAudited("tpm-dev", "failure", "not the one enrolled");
  }
}
