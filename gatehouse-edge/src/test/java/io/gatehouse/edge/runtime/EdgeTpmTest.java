package io.gatehouse.edge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.device.testing.Swtpm;
import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import io.gatehouse.device.tpm.TpmIdentity;
import io.gatehouse.edge.testing.ServiceGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field gateway with its uplink key in a TPM: a real swtpm is provisioned through the service
 * gateway's DPS endpoint (an individual TPM enrollment of kind edge, Azure's two-call flow driven
 * with the device SDK's TpmIdentity), then the edge runtime signs its SAS tokens in that TPM,
 * connects and carries a leaf's reading; its posture names the TPM credential.
 */
@ExtendWith(SwtpmExtension.class)
class EdgeTpmTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestEdge test;

  @AfterEach
  void stop() {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void anEdgeProvisionedWithItsTpmSignsItsUplinkTokensThereAndCarriesALeafsReading(Swtpms swtpms) throws Exception {
    Swtpm swtpm = swtpms.start();
    test = TestEdge.enrolledBy(dir, gateway -> {
      provision(gateway, swtpm);
      return "tpm: \"" + swtpm.address() + "\"";
    });
    JsonNode edge = test.gateway.json("GET", "/devices/edge-1", null);
    assertThat(edge.get("kind").asText()).isEqualTo("edge");
    assertThat(edge.at("/provisioning/attestation").asText()).isEqualTo("tpm");

    test.start();
    await().atMost(TIMEOUT).until(test.edge::isUplinkConnected);
    long from = test.gateway.gateway().telemetry().nextSequence();
    test.publishReading("{\"tempF\":50}");

    TelemetryMessage stored = await().atMost(TIMEOUT).until(() -> test.sensorMessages(from), m -> !m.isEmpty()).getFirst();
    assertThat(stored.gatewayId()).isEqualTo("edge-1");
    JsonNode posture = JSON.readTree(await().atMost(TIMEOUT)
        .until(() -> test.gateway.call("GET", "/edges/edge-1/posture", null), r -> r.statusCode() == 200).body())
        .get("posture");
    assertThat(posture.get("credentialKind").asText()).isEqualTo("tpm (" + swtpm.address() + ")");
  }

  @Test
  void anEdgeWhoseTpmWasNeverProvisionedStopsAtItsStartAndSaysWhatToDo(Swtpms swtpms) throws Exception {
    Swtpm swtpm = swtpms.start();
    test = TestEdge.enrolledBy(dir, gateway -> {
      gateway.create("edge-1", "{\"kind\":\"edge\"}");
      return "tpm: \"" + swtpm.address() + "\"";
    });

    assertThatThrownBy(test::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uplink.tpm: the TPM at " + swtpm.address() + " holds no identity key")
        .hasMessageContaining("deviceKind edge");
    test.edge = null;
  }

  /**
   * DPS's TPM flow as a device runs it: enrollment by the operator, register with the EK and SRK
   * (401 with a blob only this TPM opens), import, register again with a token signed in the TPM
   * (200 assigned with the hub key's blob), import that one.
   */
  private static void provision(ServiceGateway gateway, Swtpm swtpm) throws Exception {
    String idScope = gateway.json("GET", "/provisioning", null).get("idScope").asText();
    try (TpmIdentity tpm = TpmIdentity.open(swtpm.address())) {
      String registrationId = tpm.registrationId();
      String ek = Base64.getEncoder().encodeToString(tpm.endorsementKey());
      String srk = Base64.getEncoder().encodeToString(tpm.storageRootKey());
      HttpResponse<String> enrolled = gateway.call("PUT", "/enrollments/" + registrationId,
          "{\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\"" + ek + "\"},\"deviceId\":\"edge-1\","
              + "\"deviceKind\":\"edge\"}");
      assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);

      String path = "/" + idScope + "/registrations/" + registrationId + "/register?api-version=2021-06-01";
      String body = "{\"registrationId\":\"" + registrationId + "\",\"tpm\":{\"endorsementKey\":\"" + ek
          + "\",\"storageRootKey\":\"" + srk + "\"}}";
      HttpResponse<String> challenge = gateway.dps(path, body, null);
      assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(401);
      tpm.activateAndImport(Base64.getDecoder().decode(JSON.readTree(challenge.body()).get("authenticationKey").asText()));

      String token = tpm.sasToken(idScope + "/registrations/" + registrationId, Instant.now().plusSeconds(300),
          "registration");
      HttpResponse<String> assigned = gateway.dps(path, body, token);
      assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
      JsonNode state = JSON.readTree(assigned.body()).get("registrationState");
      assertThat(state.get("deviceId").asText()).isEqualTo("edge-1");
      tpm.activateAndImport(Base64.getDecoder().decode(state.at("/tpm/authenticationKey").asText()));
    }
  }
}
