package io.gatehouse.bench.tpm;

import io.gatehouse.bench.scenario.Latencies;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.x509.TrustAnchors;
import io.gatehouse.device.provisioning.ProvisioningClient;
import io.gatehouse.device.tpm.TpmIdentity;
import io.gatehouse.server.bootstrap.Gateway;
import io.gatehouse.server.bootstrap.GatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * One whole DPS TPM registration as the SDK's {@link ProvisioningClient} makes it, against a
 * gateway in this JVM and swtpm: register (401 + blob), activate and import, register with a SAS
 * signed in the TPM, import the hub key of the answer. The same TPM registers again and again
 * (its enrollment reprovisions the same device), so every timed registration does the full flow.
 */
final class TpmRegistrationLatency {
  private TpmRegistrationLatency() {}

  static Latencies measure(Path dir, TpmIdentity tpm, int warmup, int count) throws Exception {
    try (Gateway gateway = Gateway.start(new GatewayConfig(dir, "gatehouse.bench", "127.0.0.1", 0, 0, null, null,
        GatewayConfig.DEFAULT_MAX_BODY), Clock.systemUTC())) {
      URI endpoint = URI.create("https://localhost:" + gateway.httpsPort());
      SSLContext tls = TrustAnchors.sslContext(dir.resolve("ca.pem"));
      HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
      String registrationId = tpm.registrationId();
      operator(http, dir, endpoint, "PUT", "/enrollments/" + registrationId, "{\"deviceId\":\"bench-tpm\","
          + "\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\""
          + Base64.getEncoder().encodeToString(tpm.endorsementKey()) + "\"}}");
      String scope = operator(http, dir, endpoint, "GET", "/provisioning", null)
          .replaceAll("(?s).*\"idScope\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      ProvisioningClient client = new ProvisioningClient(endpoint, tls, Duration.ofSeconds(30), Clock.systemUTC());
      for (int i = 0; i < warmup; i++) {
        client.registerWithTpm(scope, registrationId, tpm);
      }
      Latencies latencies = new Latencies();
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        client.registerWithTpm(scope, registrationId, tpm);
        latencies.recordNanos(System.nanoTime() - t0);
      }
      return latencies;
    }
  }

  static String operator(HttpClient http, Path dir, URI endpoint, String method, String path, String body)
      throws Exception {
    ConnectionString cs = ConnectionString.parse(Files.readString(dir.resolve("operator.credential")).trim());
    String token = SasSigner.token(cs.hostName(), Base64.getDecoder().decode(cs.require("SharedAccessKey")),
        Instant.now().plusSeconds(600), cs.require("SharedAccessKeyName"));
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).header("Authorization", token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

}
