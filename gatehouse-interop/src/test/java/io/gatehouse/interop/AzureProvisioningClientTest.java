package io.gatehouse.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The unmodified Azure provisioning client (provisioning-device-client 2.1.3) provisions a device
 * through a symmetric-key enrollment group over HTTPS, and the unmodified Azure device client then
 * connects as the device it was assigned, with the key derived for it, and sends telemetry. Like
 * {@link AzureDeviceSdkTest}, the gateway listens on 127.0.0.1:443 and :8883 (the SDKs' fixed ports)
 * and the clients trust its development CA.
 */
class AzureProvisioningClientTest extends FixedPortGatewayTest {
  /** The SDK's symmetric-key provider, trusting the gateway's CA: the one thing a deployment configures. */
  private static final class TrustingSymmetricKey extends SecurityProviderSymmetricKey {
    TrustingSymmetricKey(String base64Key, String registrationId) {
      super(base64Key.getBytes(StandardCharsets.UTF_8), registrationId);
    }

    @Override
    public SSLContext getSSLContext() {
      return trust;
    }
  }

  /** A device's key in a group, computed as the SDK's samples do it (the device never sees the group key). */
  private static String derive(String groupKey, String registrationId) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(groupKey), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(registrationId.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"HTTPS", "MQTT"})
  void provisionsThroughAGroupEnrollmentAndTheDeviceClientThenSendsTelemetry(
      ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
    String idScope = api.call("GET", "/provisioning", null, 200).get("idScope").asText();
    String groupId = "azure-line-" + protocol.name().toLowerCase();
    JsonNode group = api.call("PUT", "/enrollmentGroups/" + groupId, "{\"tags\":{\"line\":\"azure\"}}", 201);
    String registrationId = "azure-prov-" + protocol.name().toLowerCase();
    String deviceKey = derive(group.get("primaryKey").asText(), registrationId);

    ProvisioningDeviceClient provisioning = ProvisioningDeviceClient.create(HOST, idScope, protocol,
        new TrustingSymmetricKey(deviceKey, registrationId));
    ProvisioningDeviceClientRegistrationResult result;
    try {
      result = provisioning.registerDeviceSync();
    } finally {
      provisioning.close();
    }
    assertThat(result.getProvisioningDeviceClientStatus())
        .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
    assertThat(result.getIothubUri()).isEqualTo(HOST);
    assertThat(result.getDeviceId()).isEqualTo(registrationId);
    assertThat(result.getRegistrationId()).isEqualTo(registrationId);

    JsonNode device = api.call("GET", "/devices/" + registrationId, null, 200);
    assertThat(device.at("/provisioning/attestation").asText()).isEqualTo("symmetric-key");
    assertThat(device.at("/provisioning/enrollment").asText()).isEqualTo("group/" + groupId);
    assertThat(device.at("/tags/line").asText()).isEqualTo("azure");

    String connectionString = "HostName=" + result.getIothubUri() + ";DeviceId=" + result.getDeviceId()
        + ";SharedAccessKey=" + deviceKey;
    DeviceClient client = new DeviceClient(connectionString, IotHubClientProtocol.MQTT,
        ClientOptions.builder().sslContext(trust).build());
    try {
      client.open(false);
      Message message = new Message("{\"provisioned\":true}".getBytes(StandardCharsets.UTF_8));
      message.setMessageId("first-" + registrationId);
      client.sendEvent(message);
    } finally {
      client.close();
    }
    JsonNode stored = api.onlyTelemetryOf(registrationId);
    assertThat(stored.get("payload").asText()).isEqualTo("{\"provisioned\":true}");
    assertThat(stored.at("/properties/messageId").asText()).isEqualTo("first-" + registrationId);
  }

  @ParameterizedTest
  @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"HTTPS", "MQTT"})
  void aDeviceOutsideTheGroupIsRefusedAndTheClientReportsIt(ProvisioningDeviceClientTransportProtocol protocol)
      throws Exception {
    String idScope = api.call("GET", "/provisioning", null, 200).get("idScope").asText();
    String suffix = protocol.name().toLowerCase();
    String groupKey = api.call("PUT", "/enrollmentGroups/azure-other-" + suffix, "{\"registrationIdPattern\":\"other-*\"}",
        201).get("primaryKey").asText();
    String registrationId = "narrow-" + suffix;
    ProvisioningDeviceClient provisioning = ProvisioningDeviceClient.create(HOST, idScope, protocol,
        new TrustingSymmetricKey(derive(groupKey, registrationId), registrationId));
    try {
      // Over HTTPS the register call is refused with the DPS error; over MQTT the CONNECT is (bad credentials).
      org.assertj.core.api.Assertions.assertThatThrownBy(provisioning::registerDeviceSync)
          .satisfies(e -> {
            if (protocol == ProvisioningDeviceClientTransportProtocol.HTTPS) {
              org.assertj.core.api.Assertions.assertThat(e).hasStackTraceContaining("401")
                  .hasStackTraceContaining("outside enrollment group 'azure-other-https'");
            }
          });
    } finally {
      provisioning.close();
    }
    api.call("GET", "/devices/" + registrationId, null, 404);
    JsonNode audit = api.call("GET", "/audit?limit=1000", null, 200).get("items");
    org.assertj.core.api.Assertions.assertThat(audit).anySatisfy(entry -> {
      org.assertj.core.api.Assertions.assertThat(entry.get("actor").asText()).isEqualTo("registration:" + registrationId);
      org.assertj.core.api.Assertions.assertThat(entry.get("reason").asText())
          .contains("outside enrollment group 'azure-other-" + suffix + "'");
    });
  }
}
