package io.gatehouse.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The unmodified Azure IoT device SDK for Java (iot-device-client 2.5.0) against a real gateway.
 * The SDK hard-codes its ports (MQTT 8883, HTTPS 443) and wants a host name with a dot, so the
 * gateway listens on 127.0.0.1:8883 and :443 with host name 127.0.0.1; the SDK trusts the
 * gateway's development CA through ClientOptions.sslContext, as a real deployment's devices would.
 */
class AzureDeviceSdkTest extends FixedPortGatewayTest {
  @ParameterizedTest
  @EnumSource(value = IotHubClientProtocol.class, names = {"MQTT", "HTTPS"})
  void sdkSendsTelemetryThatTheServiceApiReadsBack(IotHubClientProtocol protocol) throws Exception {
    String id = "azure-telemetry-" + protocol.name().toLowerCase();
    DeviceClient client = new DeviceClient(createDevice(id), protocol, options());
    try {
      client.open(false);
      Message message = new Message("{\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8));
      message.setMessageId("m-" + id);
      message.setContentType("application/json");
      message.setProperty("unit", "celsius");
      // Over HTTPS a property name becomes a header name, so it must be an HTTP token; MQTT encodes it.
      String tricky = protocol == IotHubClientProtocol.MQTT ? "with space" : "with-dash";
      message.setProperty(tricky, "a+b c&d=e");
      client.sendEvent(message);
    } finally {
      client.close();
    }
    JsonNode stored = api.onlyTelemetryOf(id);
    assertThat(stored.get("payload").asText()).isEqualTo("{\"temperature\":21.5}");
    assertThat(stored.at("/properties/messageId").asText()).isEqualTo("m-" + id);
    assertThat(stored.at("/properties/contentType").asText()).isEqualTo("application/json");
    assertThat(stored.at("/properties/application/unit").asText()).isEqualTo("celsius");
    String tricky = protocol == IotHubClientProtocol.MQTT ? "with space" : "with-dash";
    assertThat(stored.at("/properties/application").get(tricky).asText()).isEqualTo("a+b c&d=e");
  }

  @ParameterizedTest
  @EnumSource(value = IotHubClientProtocol.class, names = {"MQTT", "HTTPS"})
  void sdkReceivesInboxMessagesAndItsVerdictReachesTheSender(IotHubClientProtocol protocol) throws Exception {
    String id = "azure-inbox-" + protocol.name().toLowerCase();
    BlockingQueue<Message> received = new ArrayBlockingQueue<>(4);
    DeviceClient client = new DeviceClient(createDevice(id), protocol, options());
    // Over HTTPS the device settles with the verdict it returns; over MQTT the only settlement is PUBACK = complete.
    IotHubMessageResult verdict = protocol == IotHubClientProtocol.HTTPS ? IotHubMessageResult.REJECT
        : IotHubMessageResult.COMPLETE;
    client.setMessageCallback((message, context) -> {
      received.add(message);
      return verdict;
    }, null);
    try {
      client.open(false);
      JsonNode sent = api.call("POST", "/devices/" + id + "/messages/devicebound",
          "{\"payload\":\"open valve 3\",\"messageId\":\"c2d-" + id + "\",\"ack\":\"full\","
              + "\"properties\":{\"priority\":\"high\",\"note\":\"a+b c\"}}", 201);
      assertThat(sent.get("messageId").asText()).isEqualTo("c2d-" + id);

      Message message = received.poll(20, TimeUnit.SECONDS);
      assertThat(message).as("the SDK received the inbox message").isNotNull();
      assertThat(new String(message.getBytes(), StandardCharsets.UTF_8)).isEqualTo("open valve 3");
      assertThat(message.getMessageId()).isEqualTo("c2d-" + id);
      assertThat(message.getProperty("priority")).isEqualTo("high");
      assertThat(message.getProperty("note")).isEqualTo("a+b c");

      String expected = verdict == IotHubMessageResult.REJECT ? "Rejected" : "Success";
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode feedback = api.call("GET", "/messages/feedback", null, 200).get("items");
        assertThat(feedback).anySatisfy(f -> {
          assertThat(f.get("originalMessageId").asText()).isEqualTo("c2d-" + id);
          assertThat(f.get("statusCode").asText()).isEqualTo(expected);
        });
      });
    } finally {
      client.close();
    }
  }

  private ClientOptions options() {
    return ClientOptions.builder().sslContext(trust).receiveInterval(100).build();
  }

  private String createDevice(String id) throws Exception {
    return api.call("PUT", "/devices/" + id, "{}", 201).get("connectionString").asText();
  }
}
