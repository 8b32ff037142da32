package io.gatehouse.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.bench.target.MosquittoTarget;
import io.gatehouse.bench.target.Target;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connect storm's claim "full handshakes, no resumption" rests on the count of server
 * certificate checks. This shows the count moves for a new client and stays put for a resumed
 * session (the positive control: the same client reconnecting resumes with its session ticket).
 */
class FullHandshakeCountTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void newClientsHandshakeInFullAndAReconnectingClientResumes() throws Exception {
    assertThat(MosquittoTarget.installed()).as("mosquitto is installed (./mvnw verify installs it: scripts/ensure-test-packages.sh)").isTrue();
    try (MosquittoTarget mosquitto = new MosquittoTarget(dir)) {
      mosquitto.start(2, Target.StartOptions.PLAIN);
      ClientFactory factory = mosquitto.clients(new ClientFactory.Shared(1), MqttVersion.V3, 60);
      CountingTrustManagerFactory trust = factory.trust();

      DeviceClient first = factory.create(mosquitto.device(0), new byte[0]);
      first.connect().get(10, TimeUnit.SECONDS);
      assertThat(trust.fullHandshakes()).isEqualTo(1);
      // Recorded as "TLSv1.3 <suite>" with the JDK's TLS and as "TLSv1.3" with BoringSSL.
      assertThat(trust.negotiated().keySet()).isNotEmpty().allMatch(k -> k.startsWith("TLSv1.3"));

      DeviceClient second = factory.create(mosquitto.device(1), new byte[0]);
      second.connect().get(10, TimeUnit.SECONDS);
      assertThat(trust.fullHandshakes()).as("a new client has no session to resume").isEqualTo(2);

      first.disconnect().get(10, TimeUnit.SECONDS);
      first.connect().get(10, TimeUnit.SECONDS);
      assertThat(trust.fullHandshakes()).as("the same client resumes: no certificate, no count").isEqualTo(2);

      first.disconnect().get(10, TimeUnit.SECONDS);
      second.disconnect().get(10, TimeUnit.SECONDS);
    }
  }
}
