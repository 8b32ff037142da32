package io.gatehouse.edge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.edge.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field gateway with an X.509 client certificate as its uplink credential, against a real
 * service gateway over real TLS: registered by thumbprint or through a CA, refused when the
 * gateway does not know the certificate (and trying again until it does), and presenting a renewed
 * certificate file at its next connection without a restart.
 */
class EdgeCertificateTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private TestEdge test;

  @AfterEach
  void stop() {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void anEdgeRegisteredByThumbprintCarriesALeafsReadingAndReportsItsCredentialKind() throws Exception {
    TestPki.Issued certificate = TestPki.selfSigned("edge-1");
    test = TestEdge.withCertificate(dir, thumbprint(certificate));
    writeCredential(certificate);
    test.start();
    await().atMost(TIMEOUT).until(test.edge::isUplinkConnected);

    long from = test.gateway.gateway().telemetry().nextSequence();
    test.publishReading("{\"tempF\":50}");

    TelemetryMessage stored = await().atMost(TIMEOUT).until(() -> test.sensorMessages(from), m -> !m.isEmpty()).getFirst();
    assertThat(stored.gatewayId()).isEqualTo("edge-1");
    JsonNode posture = await().atMost(TIMEOUT).until(() -> test.gateway.call("GET", "/edges/edge-1/posture", null),
        response -> response.statusCode() == 200).body().transform(EdgeCertificateTest::json).get("posture");
    assertThat(posture.get("credentialKind").asText()).isEqualTo("x509-key-file (insecure: key on disk)");
  }

  @Test
  void anEdgeWhoseCertificateARegisteredCaIssuedCarriesALeafsReading() throws Exception {
    TestPki.Issued ca = TestPki.ca("site-ca");
    test = TestEdge.withCertificate(dir, "{\"type\":\"x509-ca\"}");
    test.gateway.addCa("site-ca", ca.certificatePem());
    writeCredential(TestPki.signedBy(ca, "edge-1")); // the chain: edge-1's certificate, then the CA's
    test.start();
    await().atMost(TIMEOUT).until(test.edge::isUplinkConnected);

    long from = test.gateway.gateway().telemetry().nextSequence();
    test.publishReading("{\"tempF\":60}");

    TelemetryMessage stored = await().atMost(TIMEOUT).until(() -> test.sensorMessages(from), m -> !m.isEmpty()).getFirst();
    assertThat(stored.gatewayId()).isEqualTo("edge-1");
  }

  @Test
  void anUnknownCertificateIsRefusedAndTheEdgeKeepsTryingUntilTheGatewayKnowsIt() throws Exception {
    TestPki.Issued registered = TestPki.selfSigned("edge-1");
    TestPki.Issued unknown = TestPki.selfSigned("edge-1");
    test = TestEdge.withCertificate(dir, thumbprint(registered));
    test.maxBackoff = "1s";
    writeCredential(unknown);
    test.start();

    // Refused, reported, tried again (and again): the edge does not give up, nor stop serving its leaves.
    await().atMost(TIMEOUT).until(() -> test.edge.uplinkStatus().failures() >= 3);
    EdgeRuntime.UplinkStatus status = test.edge.uplinkStatus();
    assertThat(status.connected()).isFalse();
    assertThat(status.connects()).isZero();
    assertThat(status.lastFailure()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("refused the edge's credential (x509-key-file").contains("BAD_USER_NAME_OR_PASSWORD");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(auditedConnectFailures()).isGreaterThanOrEqualTo(3));
    long from = test.gateway.gateway().telemetry().nextSequence();
    test.publishReading("{\"tempF\":70}"); // acknowledged by the edge: held in its buffer meanwhile

    test.gateway.replace("edge-1", "{\"kind\":\"edge\",\"authentication\":" + thumbprint(unknown) + "}");

    await().atMost(TIMEOUT).until(test.edge::isUplinkConnected);
    await().atMost(TIMEOUT).until(() -> test.sensorMessages(from), m -> m.size() == 1);
    // The posture report sent on connecting tells the operator how rough the way in was.
    JsonNode posture = await().atMost(TIMEOUT).until(() -> test.gateway.call("GET", "/edges/edge-1/posture", null),
        response -> response.statusCode() == 200).body().transform(EdgeCertificateTest::json).get("posture");
    assertThat(posture.get("uplink").get("failures").asLong()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theCertificateOfAnotherIdentityIsRefused() throws Exception {
    TestPki.Issued edge1 = TestPki.selfSigned("edge-1");
    TestPki.Issued edge2 = TestPki.selfSigned("edge-2");
    test = TestEdge.withCertificate(dir, thumbprint(edge1));
    test.gateway.register("edge-2", "{\"kind\":\"edge\",\"authentication\":" + thumbprint(edge2) + "}");
    test.maxBackoff = "1s";
    writeCredential(edge2);
    test.start();

    await().atMost(TIMEOUT).until(() -> test.edge.uplinkStatus().failures() >= 2);
    assertThat(test.edge.uplinkStatus().connects()).isZero();
    assertThat(test.edge.uplinkStatus().lastFailure()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("BAD_USER_NAME_OR_PASSWORD");
  }

  @Test
  void aRenewedCertificateFileIsPresentedAtTheNextConnectionWithoutARestart() throws Exception {
    TestPki.Issued first = TestPki.selfSigned("edge-1");
    TestPki.Issued renewed = TestPki.selfSigned("edge-1");
    test = TestEdge.withCertificate(dir, thumbprint(first));
    writeCredential(first);
    test.start();
    await().atMost(TIMEOUT).until(test.edge::isUplinkConnected);

    writeCredential(renewed);
    // The gateway now knows only the renewed certificate and ends the session the first one opened.
    test.gateway.replace("edge-1", "{\"kind\":\"edge\",\"authentication\":" + thumbprint(renewed) + "}");

    await().atMost(TIMEOUT).until(() -> test.edge.uplinkStatus().connects() == 2 && test.edge.isUplinkConnected());
    long from = test.gateway.gateway().telemetry().nextSequence();
    test.publishReading("{\"tempF\":80}");
    await().atMost(TIMEOUT).until(() -> test.sensorMessages(from), m -> m.size() == 1);
  }

  private static String thumbprint(TestPki.Issued certificate) {
    return "{\"type\":\"x509-thumbprint\",\"primaryThumbprint\":\"" + certificate.thumbprint() + "\"}";
  }

  private void writeCredential(TestPki.Issued certificate) throws Exception {
    certificate.write(dir.resolve(TestEdge.CERTIFICATE_FILE), dir.resolve(TestEdge.KEY_FILE));
  }

  private long auditedConnectFailures() throws Exception {
    JsonNode items = test.gateway.json("GET", "/audit?limit=1000", null).get("items");
    long count = 0;
    for (JsonNode entry : items) {
      if (entry.get("action").asText().equals("mqtt.connect") && entry.get("target").asText().equals("device:edge-1")
          && entry.get("outcome").asText().equalsIgnoreCase("failure")) {
        count++;
      }
    }
    return count;
  }

  private static JsonNode json(String body) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
