package io.gatehouse.cli.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.cli.client.TrustMaterial;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;

/**
 * {@code gatehouse serve} as a separate JVM (the real entry point, this test's classpath), so it can
 * be killed with SIGKILL exactly as a power cut or OOM-kill would end it.
 */
public final class GatewayProcess implements AutoCloseable {
  public static final String HOST = "gatehouse.test";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path data;
  private final int httpsPort;
  private final int mqttPort;
  private Process process;
  private HttpClient http;

  public GatewayProcess(Path data) throws IOException {
    this.data = data;
    this.httpsPort = freePort();
    this.mqttPort = freePort();
  }

  public void start() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.gatehouse.cli.Main");
    command.addAll(List.of("serve", "--data", data.toString(), "--hostname", HOST, "--bind", "127.0.0.1",
        "--https-port", Integer.toString(httpsPort), "--mqtt-port", Integer.toString(mqttPort)));
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(data.resolveSibling(data.getFileName() + "-gateway.log").toFile()).start();
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> !process.isAlive() || ready());
    if (!process.isAlive()) {
      throw new IllegalStateException("gateway exited with " + process.exitValue() + "; see its log beside " + data);
    }
  }

  /** SIGKILL: no shutdown hook, no flush, no close. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public int mqttPort() {
    return mqttPort;
  }

  public Path caFile() {
    return data.resolve("ca.pem");
  }

  public JsonNode call(String method, String path, String body, int expected) throws Exception {
    ConnectionString operator = ConnectionString.parse(Files.readString(data.resolve("operator.credential")));
    String token = SasSigner.token(operator.hostName(), Base64.getDecoder().decode(operator.require("SharedAccessKey")),
        Instant.now().plusSeconds(600), operator.require("SharedAccessKeyName"));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }

  /** A device's own HTTPS call, with its device SAS token. */
  public HttpResponse<String> asDevice(String method, String path, String deviceId, byte[] key, int expected) throws Exception {
    String token = SasSigner.token(HOST + "/devices/" + deviceId, key, Instant.now().plusSeconds(600), null);
    HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", token)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }

  private boolean ready() {
    try {
      return Files.exists(data.resolve("cli.json"))
          && client().send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/readyz")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception notYet) {
      return false;
    }
  }

  private HttpClient client() throws Exception {
    if (http == null && Files.exists(caFile())) {
      http = HttpClient.newBuilder().sslContext(trusting(caFile())).connectTimeout(Duration.ofSeconds(5)).build();
    }
    if (http == null) {
      throw new IOException("no CA yet");
    }
    return http;
  }

  /** Trusts exactly the CA certificate in {@code caPem}, as the CLI's {@code --ca} does. */
  public static SSLContext trusting(Path caPem) {
    return TrustMaterial.sslContext(Optional.of(caPem));
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
