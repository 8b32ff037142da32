package io.gatehouse.device.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.testing.TempDirectories;
import io.gatehouse.core.x509.TrustAnchors;
import io.gatehouse.device.client.DeviceIdentity;
import io.gatehouse.device.provisioning.ProvisioningClient;
import io.gatehouse.device.provisioning.ProvisioningResult;
import io.gatehouse.device.tpm.TpmIdentity;
import io.gatehouse.server.bootstrap.Gateway;
import io.gatehouse.server.bootstrap.GatewayConfig;
import java.io.IOException;
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
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Gatehouse service gateway on random loopback ports in a temporary folder, the operator's
 * service API over HTTPS, and the gateway's CA as a device trusts it (nothing else).
 *
 * <p>Made by {@link #perTestClass()} for a {@code @RegisterExtension static} field: it starts before
 * the class's first test in a directory of its own and stops after the last one, the directory
 * deleted, so the tests that share it need no set-up of their own.
 */
public final class InProcessGateway implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String HOST = "gatehouse.test";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path data;
  private Gateway gateway;
  private HttpClient http;

  private InProcessGateway() {}

  /** Not started yet: the JUnit extension's {@link #beforeAll} starts it. */
  public static InProcessGateway perTestClass() {
    return new InProcessGateway();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    data = Files.createTempDirectory("gatehouse-device-e2e-");
    gateway = Gateway.start(new GatewayConfig(data, HOST, "127.0.0.1", 0, 0, null, null,
        GatewayConfig.DEFAULT_MAX_BODY, null), Clock.systemUTC());
    http = HttpClient.newBuilder().sslContext(sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
    TempDirectories.delete(data);
  }

  public URI endpoint() {
    return URI.create("https://localhost:" + gateway.httpsPort());
  }

  public int mqttPort() {
    return gateway.mqttPort();
  }

  public Path caPem() {
    return data.resolve("ca.pem");
  }

  public String idScope() throws Exception {
    return operator("GET", "/provisioning", null).get("idScope").asText();
  }

  /** A service API call as the operator; fails unless the answer is 2xx. */
  public JsonNode operator(String method, String path, String body) throws Exception {
    HttpResponse<String> response = operatorCall(method, path, body);
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  public HttpResponse<String> operatorCall(String method, String path, String body) throws Exception {
    ConnectionString cs = ConnectionString.parse(Files.readString(data.resolve("operator.credential")).trim());
    String token = SasSigner.token(cs.hostName(), Base64.getDecoder().decode(cs.require("SharedAccessKey")),
        Instant.now().plusSeconds(600), cs.require("SharedAccessKeyName"));
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint().resolve(path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Enrolls {@code tpm} by its endorsement key for {@code deviceId}, provisions it through the SDK's
   * DPS client (TPM attestation), and returns the identity the hub knows it by.
   */
  public DeviceIdentity provisionWithTpm(TpmIdentity tpm, String deviceId) throws Exception {
    operator("PUT", "/enrollments/" + tpm.registrationId(), "{\"deviceId\":\"" + deviceId
        + "\",\"attestation\":{\"type\":\"tpm\",\"endorsementKey\":\""
        + Base64.getEncoder().encodeToString(tpm.endorsementKey()) + "\"}}");
    ProvisioningResult result = new ProvisioningClient(endpoint(), sslContext(), Duration.ofSeconds(20),
        Clock.systemUTC()).registerWithTpm(idScope(), tpm.registrationId(), tpm);
    return new DeviceIdentity(result.assignedHub(), result.deviceId(), tpm);
  }

  /** Every telemetry message of {@code deviceId} in the gateway's log, in order. */
  public List<TelemetryMessage> telemetryOf(String deviceId) {
    List<TelemetryMessage> found = new java.util.ArrayList<>();
    long from = 0;
    for (List<TelemetryMessage> page; !(page = gateway.telemetry().read(from, 1000)).isEmpty(); ) {
      page.stream().filter(m -> m.deviceId().equals(deviceId)).forEach(found::add);
      from = page.getLast().sequence() + 1;
    }
    return found;
  }

  public SSLContext sslContext() {
    return TrustAnchors.sslContext(caPem());
  }

  public TrustManagerFactory trustManagers() {
    return TrustAnchors.trustManagers(caPem());
  }

  @Override
  public void close() {
    gateway.close();
  }
}
