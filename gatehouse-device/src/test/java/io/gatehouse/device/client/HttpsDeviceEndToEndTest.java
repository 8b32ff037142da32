package io.gatehouse.device.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.device.testing.InProcessGateway;
import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import io.gatehouse.device.tpm.TpmIdentity;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SDK's HTTPS transport against a real gateway's Azure-compatible device API, with devices
 * provisioned by TPM attestation on a real swtpm, so every request carries a token signed in the TPM.
 */
@ExtendWith(SwtpmExtension.class)
class HttpsDeviceEndToEndTest {
  @RegisterExtension static final InProcessGateway gw = InProcessGateway.perTestClass();

  private static DeviceClient.Options https() {
    return DeviceClient.Options.https("localhost", gw.endpoint().getPort(), gw.trustManagers())
        .withPollInterval(Duration.ofMillis(200));
  }

  private static List<String> payloads(String deviceId) {
    return gw.telemetryOf(deviceId).stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aTpmDeviceSendsOverHttpsWithItsProperties(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      DeviceIdentity identity = gw.provisionWithTpm(tpm, "https-sensor-1");
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      try (DeviceClient client = DeviceClient.connect(identity, https(), null)) {
        for (int i = 0; i < 20; i++) {
          sent.add(client.send(("reading " + i).getBytes(StandardCharsets.UTF_8),
              Map.of("unit", "degC", "index", Integer.toString(i), "$.mid", "msg-" + i)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(client.sessions()).as("one token serves every request of its lifetime").isEqualTo(1);
      }
      List<TelemetryMessage> logged = gw.telemetryOf("https-sensor-1");
      assertThat(logged).hasSize(20);
      for (TelemetryMessage m : logged) {
        String payload = new String(m.payload(), StandardCharsets.UTF_8);
        String index = payload.substring("reading ".length());
        assertThat(m.properties().application()).containsEntry("unit", "degC").containsEntry("index", index);
        assertThat(m.properties().messageId()).isEqualTo("msg-" + index);
      }
    }
  }

  @Test
  void anInboxMessageReachesTheCallbackAndIsCompleted(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      DeviceIdentity identity = gw.provisionWithTpm(tpm, "https-inbox-1");
      BlockingQueue<InboxMessage> inbox = new LinkedBlockingQueue<>();
      long feedbackFrom = nextFeedback();
      try (DeviceClient client = DeviceClient.connect(identity, https(), inbox::add)) {
        gw.operator("POST", "/devices/https-inbox-1/messages/devicebound", "{\"payload\":\"open the valve\","
            + "\"messageId\":\"c2d-1\",\"ack\":\"positive\",\"properties\":{\"valve\":\"3\"}}");
        InboxMessage message = inbox.poll(20, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("open the valve");
        assertThat(message.properties()).containsEntry("$.mid", "c2d-1").containsEntry("valve", "3")
            .containsEntry("$.to", "/devices/https-inbox-1/messages/deviceBound");
        assertThat(message.deliveryCount()).hasValue(1);
        // completed: the sender hears "Success"
        await().atMost(Duration.ofSeconds(20)).until(() -> feedbackOf("c2d-1", feedbackFrom).size() == 1);
        assertThat(feedbackOf("c2d-1", feedbackFrom).getFirst().get("statusCode").asText()).isEqualTo("Success");
      }
      // and gone from the inbox: the device's own pull finds nothing
      assertThat(pullAs(identity).statusCode()).isEqualTo(204);
      assertThat(inbox).isEmpty();
    }
  }

  @Test
  void aCallbackThatThrowsAbandonsAndTheMessageComesBack(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      DeviceIdentity identity = gw.provisionWithTpm(tpm, "https-inbox-2");
      List<InboxMessage> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicInteger calls = new AtomicInteger();
      try (DeviceClient client = DeviceClient.connect(identity, https(), m -> {
        seen.add(m);
        if (calls.incrementAndGet() == 1) {
          throw new IllegalStateException("the valve is busy");
        }
      })) {
        gw.operator("POST", "/devices/https-inbox-2/messages/devicebound",
            "{\"payload\":\"close the valve\",\"messageId\":\"c2d-2\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
      }
      assertThat(seen).extracting(m -> m.properties().get("$.mid")).containsExactly("c2d-2", "c2d-2");
      assertThat(seen.get(0).deliveryCount()).hasValue(1);
      assertThat(seen.get(1).deliveryCount()).hasValue(2);
      assertThat(pullAs(identity).statusCode()).as("completed on the second delivery").isEqualTo(204);
    }
  }

  @Test
  void aDisabledDeviceIsToldWhyAndNoTokenLeaks(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      DeviceIdentity identity = gw.provisionWithTpm(tpm, "https-disabled");
      try (DeviceClient client = DeviceClient.connect(identity, https(), null)) {
        client.send("before").get(20, TimeUnit.SECONDS);
        gw.operator("POST", "/devices/https-disabled/disable", "{\"reason\":\"stolen\"}");

        assertThatThrownBy(() -> client.send("after").get(20, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).cause()
            .isInstanceOfSatisfying(DeviceClientException.class, e -> {
              assertThat(e.status()).isIn(401, 403);
              assertThat(e.detail()).isNotBlank();
              assertThat(e.getMessage()).contains("https-disabled").contains("HTTP " + e.status())
                  .contains(e.detail()).doesNotContain("SharedAccessSignature").doesNotContain("sig=");
            });
      }
      assertThat(payloads("https-disabled")).containsExactly("before");
    }
  }

  @Test
  void shortLivedTokensAreRenewedWithoutLosingAMessage(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      DeviceIdentity identity = gw.provisionWithTpm(tpm, "https-renewing");
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      try (DeviceClient client = DeviceClient.connect(identity, https().withTokenTtl(Duration.ofSeconds(3)), null)) {
        // 3 s tokens are renewed after 1.5-2.5 s; send until three have been signed, without waiting
        // for each answer, and bound what is in flight by joining an older send now and then.
        for (int i = 0; client.sessions() < 3; i++) {
          sent.add(client.send("m" + i));
          if (i % 20 == 19) {
            sent.get(i - 10).get(30, TimeUnit.SECONDS);
          }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        expected.add("m" + i);
      }
      assertThat(payloads("https-renewing")).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void aPropertyThatCannotBeAHeaderIsRefusedBeforeSending(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      DeviceIdentity identity = gw.provisionWithTpm(tpm, "https-bad-property");
      try (DeviceClient client = DeviceClient.connect(identity, https(), null)) {
        assertThatThrownBy(() -> client.send("x".getBytes(StandardCharsets.UTF_8), Map.of("two words", "v")).join())
            .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("'two words'");
        // the JDK's client would send '?' for it: refused rather than corrupted
        assertThatThrownBy(() -> client.send("x".getBytes(StandardCharsets.UTF_8), Map.of("unit", "°C")).join())
            .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("'unit'")
            .hasMessageContaining("not printable ASCII");
      }
      assertThat(payloads("https-bad-property")).isEmpty();
    }
  }

  private static HttpResponse<String> pullAs(DeviceIdentity identity) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(gw.sslContext()).build();
    return http.send(HttpRequest.newBuilder(gw.endpoint().resolve("/devices/" + identity.deviceId()
            + "/messages/deviceBound?api-version=" + DeviceClient.API_VERSION))
        .header("Authorization", identity.sasToken(Duration.ofMinutes(5))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long nextFeedback() throws Exception {
    long next = 1;
    for (JsonNode item : gw.operator("GET", "/messages/feedback?limit=1000", null).path("items")) {
      next = Math.max(next, item.get("sequence").asLong() + 1);
    }
    return next;
  }

  private static List<JsonNode> feedbackOf(String messageId, long from) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode item : gw.operator("GET", "/messages/feedback?from=" + from, null).path("items")) {
      if (messageId.equals(item.path("originalMessageId").asText())) {
        found.add(item);
      }
    }
    return found;
  }
}
