package io.gatehouse.device.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.device.keys.InsecureSoftwareKeyStore;
import io.gatehouse.device.provisioning.ProvisioningClient;
import io.gatehouse.device.provisioning.ProvisioningException;
import io.gatehouse.device.provisioning.ProvisioningResult;
import io.gatehouse.device.testing.InProcessGateway;
import io.gatehouse.device.testing.Swtpm;
import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import io.gatehouse.device.tpm.TpmIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SDK end to end against a real gateway and a real swtpm: DPS TPM attestation through an
 * individual enrollment, then MQTT telemetry and inbox with SAS tokens signed inside the TPM.
 */
@ExtendWith(SwtpmExtension.class)
class TpmDeviceEndToEndTest {
  @RegisterExtension static final InProcessGateway gw = InProcessGateway.perTestClass();
  static String scope;

  @BeforeAll
  static void readScope() throws Exception {
    scope = gw.idScope();
  }


  private static ProvisioningClient provisioning() {
    return new ProvisioningClient(gw.endpoint(), gw.sslContext(), Duration.ofSeconds(20), Clock.systemUTC());
  }

  private static void enroll(TpmIdentity tpm, String registrationId, String deviceId) throws Exception {
    gw.operator("PUT", "/enrollments/" + registrationId, "{\"deviceId\":\"" + deviceId
        + "\",\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\""
        + Base64.getEncoder().encodeToString(tpm.endorsementKey()) + "\"}}");
  }

  private static DeviceClient.Options options() {
    return DeviceClient.Options.of("localhost", gw.mqttPort(), gw.trustManagers());
  }

  @Test
  void provisionsWithTheTpmThenSendsTelemetryAndReceivesItsInbox(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      String registrationId = tpm.registrationId();
      enroll(tpm, registrationId, "tpm-sensor-1");

      ProvisioningResult result = provisioning().registerWithTpm(scope, registrationId, tpm);

      assertThat(result.deviceId()).isEqualTo("tpm-sensor-1");
      assertThat(result.assignedHub()).isEqualTo(InProcessGateway.HOST);
      assertThat(result.substatus()).isEqualTo("initialAssignment");
      JsonNode device = gw.operator("GET", "/devices/tpm-sensor-1", null);
      assertThat(device.at("/provisioning/attestation").asText()).isEqualTo("tpm");
      // the key went to the TPM alone: the registry never hands it out again, not even to the operator
      var connectionString = gw.operatorCall("GET", "/devices/tpm-sensor-1/connection-string", null);
      assertThat(connectionString.statusCode()).isEqualTo(409);
      assertThat(connectionString.body()).contains("its key stays in its TPM").doesNotContain("SharedAccessKey=");
      assertThat(gw.operatorCall("POST", "/devices/tpm-sensor-1/token", "{}").statusCode()).isEqualTo(409);
      assertThat(gw.operatorCall("POST", "/devices/tpm-sensor-1/keys/regenerate", "{\"key\":\"primary\"}")
          .statusCode()).isEqualTo(409);

      BlockingQueue<InboxMessage> inbox = new ArrayBlockingQueue<>(10);
      DeviceIdentity identity = new DeviceIdentity(result.assignedHub(), result.deviceId(), tpm);
      try (DeviceClient client = DeviceClient.connect(identity, options(), inbox::add)) {
        for (int i = 0; i < 3; i++) {
          client.send(("reading " + i).getBytes(StandardCharsets.UTF_8), Map.of("unit", "°C")).get(20, TimeUnit.SECONDS);
        }
        List<TelemetryMessage> logged = gw.telemetryOf("tpm-sensor-1");
        assertThat(logged).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
            .containsExactly("reading 0", "reading 1", "reading 2");

        gw.operator("POST", "/devices/tpm-sensor-1/messages/devicebound",
            "{\"payload\":\"open the valve\",\"messageId\":\"m-1\",\"properties\":{\"valve\":\"3\"}}");
        InboxMessage message = inbox.poll(20, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("open the valve");
        assertThat(message.properties()).containsEntry("$.mid", "m-1").containsEntry("valve", "3");
      }
    }
  }

  @Test
  void theSameTpmProvisionsAgainAndConnectsWithItsNewHubKey(Swtpms swtpms) throws Exception {
    Swtpm swtpm = swtpms.start();
    String registrationId;
    try (TpmIdentity tpm = TpmIdentity.open(swtpm.connect())) {
      registrationId = tpm.registrationId();
      enroll(tpm, registrationId, "tpm-sensor-2");
      provisioning().registerWithTpm(scope, registrationId, tpm);
    }
    swtpm.restart();
    try (TpmIdentity tpm = TpmIdentity.open(swtpm.connect())) {
      ProvisioningResult again = provisioning().registerWithTpm(scope, registrationId, tpm);

      assertThat(again.deviceId()).isEqualTo("tpm-sensor-2");
      assertThat(again.substatus()).isNotEqualTo("initialAssignment");
      try (DeviceClient client = DeviceClient.connect(new DeviceIdentity(again.assignedHub(), again.deviceId(), tpm),
          options(), null)) {
        client.send("after reprovisioning").get(20, TimeUnit.SECONDS);
      }
      assertThat(gw.telemetryOf("tpm-sensor-2")).hasSize(1);
    }
  }

  @Test
  void aTpmThatIsNotEnrolledIsRefusedWithTheDpsError(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      assertThatThrownBy(() -> provisioning().registerWithTpm(scope, tpm.registrationId(), tpm))
          .isInstanceOfSatisfying(ProvisioningException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.errorCode()).isEqualTo(401002);
            assertThat(e.serviceMessage()).contains("has no individual enrollment");
          });
      assertThat(tpm.hasIdentityKey()).isFalse();
    }
  }

  @Test
  void aSymmetricKeyDeviceProvisionsThroughTheSameClient() throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    gw.operator("PUT", "/enrollments/sym-dev-1", "{\"deviceId\":\"sym-sensor-1\",\"attestation\":{\"type\":"
        + "\"symmetric-key\",\"primaryKey\":\"" + Base64.getEncoder().encodeToString(key) + "\",\"secondaryKey\":\""
        + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}) + "\"}}");
    try (InsecureSoftwareKeyStore keys = InsecureSoftwareKeyStore.create(key, new java.security.SecureRandom())) {
      ProvisioningResult result = provisioning().registerWithKey(scope, "sym-dev-1", keys);

      assertThat(result.deviceId()).isEqualTo("sym-sensor-1");
      try (DeviceClient client = DeviceClient.connect(new DeviceIdentity(result.assignedHub(), result.deviceId(), keys),
          options(), null)) {
        client.send("from a software key").get(20, TimeUnit.SECONDS);
      }
      assertThat(gw.telemetryOf("sym-sensor-1")).hasSize(1);
    }
    try (InsecureSoftwareKeyStore wrong = InsecureSoftwareKeyStore.create(new byte[32], new java.security.SecureRandom())) {
      assertThatThrownBy(() -> provisioning().registerWithKey(scope, "sym-dev-1", wrong))
          .isInstanceOfSatisfying(ProvisioningException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).contains("errorCode 401");
          });
    }
  }

  @Test
  void renewingAFiveSecondTokenLosesNoMessage(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      enroll(tpm, tpm.registrationId(), "tpm-renewing");
      ProvisioningResult result = provisioning().registerWithTpm(scope, tpm.registrationId(), tpm);
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      try (DeviceClient client = DeviceClient.connect(new DeviceIdentity(result.assignedHub(), result.deviceId(), tpm),
          options().withTokenTtl(Duration.ofSeconds(5)), null)) {
        // Send without waiting for acknowledgements, so that publishes are issued while sessions
        // switch; the window is ~12 s: two renewals at 85 % of 5 s. The join of every 20th send
        // only keeps the number in flight bounded.
        for (int i = 0; client.sessions() < 3; i++) {
          sent.add(client.send("m" + i));
          if (i % 20 == 19) {
            sent.get(i - 10).get(30, TimeUnit.SECONDS);
          }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(client.heldDuringRenewals()).as("publishes issued while the session was replaced").isPositive();
      }
      List<String> logged = gw.telemetryOf("tpm-renewing").stream()
          .map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        expected.add("m" + i);
      }
      assertThat(logged).hasSize(sent.size());
      assertThat(logged).isEqualTo(expected);
    }
  }
}
