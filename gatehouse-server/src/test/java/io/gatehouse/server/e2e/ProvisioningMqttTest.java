package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.gatehouse.core.provisioning.GroupKeys;
import io.gatehouse.core.sas.SasSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPS over MQTT on the device port, with a real MQTT 5 client (HiveMQ) over TLS: the register and
 * operation-status requests, their answers on the response topic, and what is refused.
 */
class ProvisioningMqttTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path data;
  static GatewayFixture gw;
  static Mqtt5Devices devices;
  static String scope;
  static String groupKey;

  @BeforeAll
  static void start() throws Exception {
    gw = new GatewayFixture(data);
    devices = new Mqtt5Devices(gw);
    scope = Json.of(gw.asOperator("GET", "/provisioning", null)).get("idScope").asText();
    groupKey = Json.of(gw.asOperator("PUT", "/enrollmentGroups/mqtt-line", "{\"registrationIdPattern\":\"m-*\"}"))
        .get("primaryKey").asText();
  }

  @AfterAll
  static void stop() {
    devices.close();
    gw.close();
  }

  private static String userName(String registrationId) {
    return scope + "/registrations/" + registrationId + "/api-version=2019-03-31&ClientVersion=2019-03-31";
  }

  private static String token(String registrationId, String key) {
    return SasSigner.token(scope + "/registrations/" + registrationId, Base64.getDecoder().decode(key),
        Instant.now().plusSeconds(600), "registration");
  }

  private static Mqtt5AsyncClient connect(String clientId, String userName, String password) throws Exception {
    Mqtt5AsyncClient client = devices.client(clientId, new CompletableFuture<>(), null);
    client.connectWith().simpleAuth().username(userName).password(password.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send().get(10, TimeUnit.SECONDS);
    return client;
  }

  /** Subscribes to the response topic; the queue receives every answer. */
  private static BlockingQueue<Mqtt5Publish> responses(Mqtt5AsyncClient client) throws Exception {
    BlockingQueue<Mqtt5Publish> answers = new LinkedBlockingQueue<>();
    Mqtt5SubAck ack = client.subscribeWith().topicFilter("$dps/registrations/res/#").qos(MqttQos.EXACTLY_ONCE)
        .callback(answers::add).send().get(10, TimeUnit.SECONDS);
    assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
    return answers;
  }

  private static JsonNode body(Mqtt5Publish publish) throws Exception {
    return JSON.readTree(publish.getPayloadAsBytes());
  }

  @Test
  void aGroupMemberRegistersAndPollsOverMqtt() throws Exception {
    String key = GroupKeys.derive(groupKey, "m-pump");
    String token = token("m-pump", key);
    Mqtt5AsyncClient client = connect("m-pump", userName("m-pump"), token);
    BlockingQueue<Mqtt5Publish> answers = responses(client);

    client.publishWith().topic("$dps/registrations/PUT/iotdps-register/?$rid=1").qos(MqttQos.AT_LEAST_ONCE)
        .payload("{\"registrationId\":\"m-pump\"}".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
    Mqtt5Publish registered = answers.poll(10, TimeUnit.SECONDS);
    assertThat(registered).isNotNull();
    assertThat(registered.getTopic().toString()).isEqualTo("$dps/registrations/res/200/?$rid=1");
    JsonNode operation = body(registered);
    assertThat(operation.get("status").asText()).isEqualTo("assigned");
    assertThat(operation.at("/registrationState/deviceId").asText()).isEqualTo("m-pump");
    assertThat(operation.at("/registrationState/assignedHub").asText()).isEqualTo(GatewayFixture.HOST);

    client.publishWith().topic("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=2&operationId="
        + operation.get("operationId").asText()).qos(MqttQos.AT_MOST_ONCE).send().get(10, TimeUnit.SECONDS);
    Mqtt5Publish polled = answers.poll(10, TimeUnit.SECONDS);
    assertThat(polled.getTopic().toString()).isEqualTo("$dps/registrations/res/200/?$rid=2");
    assertThat(body(polled).get("operationId").asText()).isEqualTo(operation.get("operationId").asText());

    // the same token registers once, over MQTT as over HTTPS: the answer is the DPS error
    client.publishWith().topic("$dps/registrations/PUT/iotdps-register/?$rid=3").qos(MqttQos.AT_MOST_ONCE)
        .payload("{\"registrationId\":\"m-pump\"}".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
    Mqtt5Publish replay = answers.poll(10, TimeUnit.SECONDS);
    assertThat(replay.getTopic().toString()).isEqualTo("$dps/registrations/res/401/?$rid=3");
    assertThat(body(replay).get("errorCode").asInt()).isEqualTo(401002);
    assertThat(body(replay).get("message").asText()).contains("registers once");

    assertThat(Json.of(gw.asOperator("GET", "/devices/m-pump", null)).at("/provisioning/enrollment").asText())
        .isEqualTo("group/mqtt-line");
    client.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void connectsThatAreNoRegistrationsOfThisServiceAreRefused() throws Exception {
    long head = devices.auditHead();
    String key = GroupKeys.derive(groupKey, "m-1");
    assertRefused("m-1", userName("m-1"), token("m-1", GroupKeys.derive(groupKey, "other")),
        Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    devices.assertAudited(head, "dps.mqtt.connect", "failure", "no enrollment admits registration id 'm-1'");
    assertRefused("not-m-1", userName("m-1"), token("m-1", key), Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
    devices.assertAudited(head, "dps.mqtt.connect", "failure", "ClientId must be its registration id 'm-1'");
    assertRefused("m-1", "0ne00000000/registrations/m-1/api-version=2019-03-31", token("m-1", key),
        Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    devices.assertAudited(head, "dps.mqtt.connect", "failure", "is not this provisioning service's");
    assertRefused("x-1", userName("x-1"), token("x-1", GroupKeys.derive(groupKey, "x-1")),
        Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    devices.assertAudited(head, "dps.mqtt.connect", "failure", "outside enrollment group 'mqtt-line'");
  }

  @Test
  void aProvisioningConnectionMayOnlyUseItsTopics() throws Exception {
    String key = GroupKeys.derive(groupKey, "m-topics");
    Mqtt5AsyncClient client = connect("m-topics", userName("m-topics"), token("m-topics", key));
    assertThatThrownBy(() -> client.subscribeWith().topicFilter("devices/m-topics/messages/devicebound/#")
        .send().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(Mqtt5SubAckException.class)
        .satisfies(e -> assertThat(((Mqtt5SubAckException) e.getCause()).getMqttMessage().getReasonCodes())
            .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
    CompletableFuture<Void> gone = new CompletableFuture<>();
    Mqtt5AsyncClient telemetry = devices.client("m-topics", gone, null);
    telemetry.connectWith().simpleAuth().username(userName("m-topics"))
        .password(token("m-topics", key).getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send()
        .get(10, TimeUnit.SECONDS);
    telemetry.publishWith().topic("devices/m-topics/messages/events/").qos(MqttQos.AT_MOST_ONCE)
        .payload(new byte[] {1}).send();
    gone.get(10, TimeUnit.SECONDS); // a device topic on a provisioning connection ends it
    assertThat(gw.gateway().telemetry().read(1, 10)).isEmpty();
  }

  private static void assertRefused(String clientId, String userName, String password, Mqtt5ConnAckReasonCode code) {
    assertThatThrownBy(() -> connect(clientId, userName, password))
        .hasCauseInstanceOf(Mqtt5ConnAckException.class)
        .satisfies(e -> assertThat(((Mqtt5ConnAckException) e.getCause()).getMqttMessage().getReasonCode())
            .isEqualTo(code));
  }
}
