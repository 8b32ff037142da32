package io.gatehouse.server.e2e;

import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.testing.TempDirectories;
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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway on random ports in a temporary data directory, and an HTTPS client that trusts
 * only the CA the gateway generated, as an operator's client would.
 *
 * <p>Either started at once by its constructor (the caller owns the directory and closes it), or
 * made by {@link #perTestClass()} for a {@code @RegisterExtension static} field: then it starts
 * before the class's first test in a directory of its own and stops after the last one, so the
 * tests that share one gateway need no set-up of their own.
 */
final class GatewayFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  static final String HOST = "gatehouse.test";

  private Path dataDirectory;
  private final Path tpmRoots;
  private Gateway gateway;
  private HttpClient http;

  GatewayFixture(Path dataDirectory) {
    this(dataDirectory, null);
  }

  private GatewayFixture() {
    this.tpmRoots = null;
  }

  /** Not started yet: the JUnit extension's {@link #beforeAll} starts it. */
  static GatewayFixture perTestClass() {
    return new GatewayFixture();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDirectory = Files.createTempDirectory("gatehouse-e2e-");
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
    TempDirectories.delete(dataDirectory);
  }

  /** @param tpmRoots the PEM file of TPM manufacturer roots ({@code --tpm-roots}), or {@code null} */
  GatewayFixture(Path dataDirectory, Path tpmRoots) {
    this.dataDirectory = dataDirectory;
    this.tpmRoots = tpmRoots;
    start();
  }

  void start() {
    gateway = Gateway.start(new GatewayConfig(dataDirectory, HOST, "127.0.0.1", 0, 0, null, null,
        GatewayConfig.DEFAULT_MAX_BODY, tpmRoots), Clock.systemUTC());
    http = HttpClient.newBuilder().sslContext(trusting(dataDirectory.resolve("ca.pem")))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  void restart() {
    gateway.close();
    start();
  }

  Gateway gateway() {
    return gateway;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  String operatorCredential() throws IOException {
    return Files.readString(dataDirectory.resolve("operator.credential")).trim();
  }

  URI uri(String path) {
    return URI.create("https://localhost:" + gateway.httpsPort() + path);
  }

  /** A service token as the CLI and back-end SDKs make it: sr = host, skn = service name. */
  static String serviceToken(String connectionString, Instant expiry) {
    ConnectionString cs = ConnectionString.parse(connectionString);
    return SasSigner.token(cs.hostName(), Base64.getDecoder().decode(cs.require("SharedAccessKey")), expiry,
        cs.require("SharedAccessKeyName"));
  }

  HttpResponse<String> send(String method, String path, String body, String authorization, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** As the operator whose credential `serve` wrote on first start. */
  HttpResponse<String> asOperator(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    return send(method, path, body, serviceToken(operatorCredential(), Instant.now().plusSeconds(600)), headers);
  }

  HttpResponse<String> as(String connectionString, String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    return send(method, path, body, serviceToken(connectionString, Instant.now().plusSeconds(600)), headers);
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static SSLContext trusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("gatehouse-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust " + caPem, e);
    }
  }
}
