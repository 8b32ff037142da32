package io.gatehouse.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProvider;
import com.microsoft.azure.sdk.iot.provisioning.security.hsm.SecurityProviderTPMHsm;
import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import io.gatehouse.device.tpm.TpmIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TPM attestation with the unmodified Azure provisioning client (provisioning-device-client 2.1.3):
 * its {@code SecurityProviderTpm} is backed by the Gatehouse device SDK's {@link TpmIdentity} on a
 * real swtpm. The client registers over HTTPS (401 with the blob, import, a token signed in the
 * TPM, assigned with the hub key's blob, import again), then the unmodified Azure device client
 * connects with tokens the TPM signs ({@code signWithIdentity} over the URL-encoded
 * {@code {hub}%2Fdevices%2F{id}}) and sends telemetry. The gateway listens on 127.0.0.1:443 and
 * :8883, the SDKs' fixed ports, like the other interop tests.
 */
@ExtendWith(SwtpmExtension.class)
class AzureTpmProvisioningTest extends FixedPortGatewayTest {
  @ParameterizedTest
  @EnumSource(value = IotHubClientProtocol.class, names = {"MQTT", "HTTPS"})
  void theAzureClientProvisionsWithItsTpmAndTheDeviceClientSendsWithTokensSignedThere(IotHubClientProtocol hub,
      Swtpms swtpms) throws Exception {
    String idScope = api.call("GET", "/provisioning", null, 200).get("idScope").asText();
    String deviceId = "azure-tpm-" + hub.name().toLowerCase();
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().address())) {
      GatehouseTpmSecurityProvider provider = new GatehouseTpmSecurityProvider(tpm, trust);
      // Azure's default registration id (base32 of the EK's SHA-256) is the one the device SDK derives.
      String registrationId = provider.getRegistrationId();
      assertThat(registrationId).isEqualTo(tpm.registrationId());
      api.call("PUT", "/enrollments/" + registrationId, "{\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\""
          + Base64.getEncoder().encodeToString(tpm.endorsementKey()) + "\"},\"deviceId\":\"" + deviceId + "\","
          + "\"tags\":{\"line\":\"tpm\"}}", 201);

      ProvisioningDeviceClientRegistrationResult result = assignedOverHttps(idScope, provider);
      assertThat(result.getIothubUri()).isEqualTo(HOST);
      assertThat(result.getDeviceId()).isEqualTo(deviceId);
      JsonNode device = api.call("GET", "/devices/" + deviceId, null, 200);
      assertThat(device.at("/provisioning/attestation").asText()).isEqualTo("tpm");
      assertThat(device.at("/tags/line").asText()).isEqualTo("tpm");

      DeviceClient client = new DeviceClient(result.getIothubUri(), result.getDeviceId(), provider, hub);
      try {
        client.open(false);
        Message message = new Message("{\"tpm\":true}".getBytes(StandardCharsets.UTF_8));
        message.setMessageId("tpm-" + deviceId);
        client.sendEvent(message);
      } finally {
        client.close();
      }
    }
    JsonNode stored = api.onlyTelemetryOf(deviceId);
    assertThat(stored.get("payload").asText()).isEqualTo("{\"tpm\":true}");
    assertThat(stored.at("/properties/messageId").asText()).isEqualTo("tpm-" + deviceId);
  }

  /**
   * Azure's own TPM provider (tpm-provider 2.0.1, unmodified: it parses the blob, runs
   * ActivateCredential and Import itself, and decrypts the blob's last field in the TPM) takes the
   * gateway's blobs too. It reaches swtpm through {@link AzureTpmHsmProvider}; note that it replaces
   * whatever EK is persistent at 0x81010001 with one it creates under the owner hierarchy, so the
   * enrollment pins the EK it reports.
   */
  @org.junit.jupiter.api.Test
  void azuresOwnTpmProviderImportsTheGatewaysBlobsAndItsDeviceClientSends(Swtpms swtpms) throws Exception {
    String idScope = api.call("GET", "/provisioning", null, 200).get("idScope").asText();
    String deviceId = "azure-tpm-hsm";
    try (UserModeTrmBridge bridge = new UserModeTrmBridge(swtpms.start().port())) {
      SecurityProviderTPMHsm provider = AzureTpmHsmProvider.on(bridge, trust);
      String registrationId = provider.getRegistrationId();
      api.call("PUT", "/enrollments/" + registrationId, "{\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\""
          + Base64.getEncoder().encodeToString(provider.getEndorsementKey()) + "\"},\"deviceId\":\"" + deviceId
          + "\"}", 201);

      ProvisioningDeviceClientRegistrationResult result = assignedOverHttps(idScope, provider);
      assertThat(result.getDeviceId()).isEqualTo(deviceId);

      DeviceClient client = new DeviceClient(result.getIothubUri(), deviceId, provider, IotHubClientProtocol.MQTT);
      try {
        client.open(false);
        client.sendEvent(new Message("{\"hsm\":true}".getBytes(StandardCharsets.UTF_8)));
      } finally {
        client.close();
      }
    }
    JsonNode stored = api.onlyTelemetryOf(deviceId);
    assertThat(stored.get("payload").asText()).isEqualTo("{\"hsm\":true}");
  }

  /** Azure's client has no TPM attestation over MQTT (nor does DPS): it refuses before sending anything. */
  @org.junit.jupiter.api.Test
  void theAzureClientRefusesTpmAttestationOverMqtt(Swtpms swtpms) throws Exception {
    String idScope = api.call("GET", "/provisioning", null, 200).get("idScope").asText();
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().address())) {
      GatehouseTpmSecurityProvider provider = new GatehouseTpmSecurityProvider(tpm, trust);
      ProvisioningDeviceClient provisioning = ProvisioningDeviceClient.create(HOST, idScope,
          ProvisioningDeviceClientTransportProtocol.MQTT, provider);
      try {
        assertThatThrownBy(provisioning::registerDeviceSync).hasStackTraceContaining("UnsupportedOperationException");
      } finally {
        provisioning.close();
      }
      assertThat(tpm.hasIdentityKey()).isFalse();
    }
  }

  /** Azure's provisioning client registers over HTTPS with {@code provider}'s TPM and must be assigned. */
  private static ProvisioningDeviceClientRegistrationResult assignedOverHttps(String idScope, SecurityProvider provider)
      throws Exception {
    ProvisioningDeviceClient provisioning = ProvisioningDeviceClient.create(HOST, idScope,
        ProvisioningDeviceClientTransportProtocol.HTTPS, provider);
    try {
      ProvisioningDeviceClientRegistrationResult result = provisioning.registerDeviceSync();
      assertThat(result.getProvisioningDeviceClientStatus())
          .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
      return result;
    } finally {
      provisioning.close();
    }
  }
}
