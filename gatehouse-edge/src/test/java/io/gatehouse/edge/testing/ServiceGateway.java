package io.gatehouse.edge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.server.bootstrap.Gateway;
import io.gatehouse.server.bootstrap.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real service gateway in the test JVM (the same code `gatehouse serve` runs), on free ports of
 * 127.0.0.1, driven through its service API as the operator. Restartable on the same data and ports,
 * so an edge can ride out an outage.
 */
public final class ServiceGateway implements AutoCloseable {
  public static final String HOST = "localhost";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path data;
  private Gateway gateway;
  private HttpClient http;
  private int mqttPort;
  private int httpsPort;

  public ServiceGateway(Path data) {
    this.data = data;
    start(0, 0);
  }

  private void start(int https, int mqtt) {
    gateway = Gateway.start(new GatewayConfig(data, HOST, "127.0.0.1", https, mqtt, null, null,
        GatewayConfig.DEFAULT_MAX_BODY), Clock.systemUTC());
    httpsPort = gateway.httpsPort();
    mqttPort = gateway.mqttPort();
    http = HttpClient.newBuilder().sslContext(trusting(caCertificate())).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public void stop() {
    gateway.close();
  }

  /** Starts again on the same ports and data, after {@link #stop()}. */
  public void restart() {
    start(httpsPort, mqttPort);
  }

  public Gateway gateway() {
    return gateway;
  }

  public int mqttPort() {
    return mqttPort;
  }

  public Path caCertificate() {
    return data.resolve("ca.pem");
  }

  /** Creates a device or edge and returns its primary key. */
  public byte[] create(String id, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = call("PUT", "/devices/" + id, body);
    if (response.statusCode() != 201) {
      throw new IllegalStateException("PUT /devices/" + id + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return Base64.getDecoder().decode(JSON.readTree(response.body()).get("primaryKey").asText());
  }

  /** Registers a device or edge (an X.509 one has no keys) and returns the gateway's answer. */
  public JsonNode register(String id, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = call("PUT", "/devices/" + id, body);
    if (response.statusCode() != 201) {
      throw new IllegalStateException("PUT /devices/" + id + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Registers a CA whose certificates prove the identities created with authentication type x509-ca. */
  public void addCa(String name, String pem) throws IOException, InterruptedException {
    HttpResponse<String> response = call("PUT", "/certificates/" + name, JSON.createObjectNode().put("pem", pem)
        .toString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("PUT /certificates/" + name + " answered " + response.statusCode() + ": "
          + response.body());
    }
  }

  /** Replaces a registered device or edge (If-Match: *), e.g. to change its authentication. */
  public JsonNode replace(String id, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = send(request("PUT", "/devices/" + id, body).header("If-Match", "*"));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("PUT /devices/" + id + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return JSON.readTree(response.body());
  }

  public HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
    return send(request(method, path, body));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String method, String path, String body) throws IOException {
    ConnectionString operator = ConnectionString.parse(Files.readString(data.resolve("operator.credential")).trim());
    String token = SasSigner.token(operator.hostName(),
        Base64.getDecoder().decode(operator.require("SharedAccessKey")), Instant.now().plusSeconds(600),
        operator.require("SharedAccessKeyName"));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path))
        .timeout(Duration.ofSeconds(20)).header("Authorization", token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return request;
  }

  /**
   * A call to the DPS endpoint (same HTTPS port) as a device makes it: no operator credential, and
   * {@code authorization} (a registration's SAS token) when not null.
   */
  public HttpResponse<String> dps(String path, String body, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request);
  }

  public JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
    return JSON.readTree(call(method, path, body).body());
  }

  @Override
  public void close() {
    gateway.close();
  }

  private static SSLContext trusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + caPem, e);
    }
  }
}
