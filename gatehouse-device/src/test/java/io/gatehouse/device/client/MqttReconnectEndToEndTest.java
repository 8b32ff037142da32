package io.gatehouse.device.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatehouse.device.testing.InProcessGateway;
import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import io.gatehouse.device.tpm.TpmIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MQTT transport when the gateway drops the device's session: the operator disables the device
 * through the service API (the gateway ends its live sessions and refuses new ones), then enables it
 * again. A real gateway, a real swtpm signing every reconnection's token.
 */
@ExtendWith(SwtpmExtension.class)
class MqttReconnectEndToEndTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

  @RegisterExtension static final InProcessGateway gw = InProcessGateway.perTestClass();


  private static DeviceClient.Options mqtt() {
    return DeviceClient.Options.of("localhost", gw.mqttPort(), gw.trustManagers()).withReconnect(FAST);
  }

  private static int attempts(DeviceClient client) {
    return ((MqttTransport) client.transport()).connectAttempts();
  }

  @Test
  void sendsIssuedWhileTheSessionIsDownAreSentAfterReconnection(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      DeviceIdentity identity = gw.provisionWithTpm(tpm, "mqtt-reconnecting");
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      try (DeviceClient client = DeviceClient.connect(identity, mqtt(), null)) {
        for (int i = 0; i < 5; i++) {
          client.send("m" + i).get(20, TimeUnit.SECONDS);
        }
        // a burst still in flight when the operator disables the device: some of it may be on the
        // wire when the session ends, and must be resent rather than lost
        for (int i = 5; i < 205; i++) {
          sent.add(client.send("m" + i));
        }
        gw.operator("POST", "/devices/mqtt-reconnecting/disable", "{\"reason\":\"maintenance\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.connected());
        int attemptsAtDrop = attempts(client);

        List<CompletableFuture<Void>> whileDown = new ArrayList<>();
        for (int i = 205; i < 255; i++) {
          whileDown.add(client.send("m" + i));
        }
        // the gateway refuses the disabled device: the client keeps trying with fresh tokens, backing off
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts(client) >= attemptsAtDrop + 2);
        assertThat(client.connected()).isFalse();
        assertThat(whileDown).as("held, not failed, while the session is down").noneMatch(CompletableFuture::isDone);

        gw.operator("POST", "/devices/mqtt-reconnecting/enable", null);
        sent.addAll(whileDown);
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(client.connected()).isTrue();
        assertThat(client.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(client.sessions()).isGreaterThanOrEqualTo(2);
        assertThat(client.heldDuringRenewals()).isGreaterThanOrEqualTo(whileDown.size());
      }
      List<String> logged = gw.telemetryOf("mqtt-reconnecting").stream()
          .map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 255; i++) {
        expected.add("m" + i);
      }
      // none lost; a resent publish whose PUBACK was lost with the connection may be there twice (at-least-once)
      assertThat(new HashSet<>(logged)).isEqualTo(expected);
    }
  }

  @Test
  void closingDuringBackoffStopsReconnecting(Swtpms swtpms) throws Exception {
    try (TpmIdentity tpm = TpmIdentity.open(swtpms.start().connect())) {
      DeviceIdentity identity = gw.provisionWithTpm(tpm, "mqtt-closing");
      DeviceClient client = DeviceClient.connect(identity, mqtt(), null);
      try {
        client.send("before").get(20, TimeUnit.SECONDS);
        gw.operator("POST", "/devices/mqtt-closing/disable", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.connected());
        int attemptsAtDrop = attempts(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts(client) >= attemptsAtDrop + 1);
        CompletableFuture<Void> held = client.send("held");
        assertThat(held).isNotDone();
        client.close();

        assertThatThrownBy(() -> held.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      } finally {
        client.close();
      }
      gw.operator("POST", "/devices/mqtt-closing/enable", null);
      int attemptsAtClose = attempts(client);
      // with 200 ms..1 s of backoff, a loop still running would try again within 2 s
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> attempts(client) == attemptsAtClose);
      assertThat(client.connected()).isFalse();
      assertThat(gw.telemetryOf("mqtt-closing")).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
          .containsExactly("before");
    }
  }
}
