package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.cli.CliRunner;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.client.TrustMaterial;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.testing.TempDirectories;
import io.gatehouse.server.bootstrap.Gateway;
import io.gatehouse.server.bootstrap.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway (TLS, SQLite) on a random port in a temporary data directory, and the CLI run
 * in-process against it exactly as a new user would: with only {@code GATEHOUSE_DATA} set, so the
 * CLI finds the gateway through the {@code cli.json} and {@code operator.credential} that the
 * gateway wrote on first start.
 *
 * <p>Every run is checked: no secret this fixture knows of (the operator key, and every key or
 * connection string a test {@linkplain #secret registers}) may appear on stderr.
 *
 * <p>Started at once by its constructor (the caller owns the directory), or made by
 * {@link #perTestClass()} to serve the tests of one class as a JUnit extension.
 */
final class CliGateway implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  static final String HOST = "gatehouse.test";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path data;
  private final Set<String> secrets = new LinkedHashSet<>();
  private final List<String> stderrSeen = new ArrayList<>();
  private Gateway gateway;

  CliGateway(Path data) {
    this.data = data;
    firstStart();
  }

  private CliGateway() {}

  /**
   * For a {@code @RegisterExtension static} field: the gateway starts before the class's first test
   * in a directory of its own, and stops after the last one, the directory deleted.
   */
  static CliGateway perTestClass() {
    return new CliGateway();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    data = Files.createTempDirectory("gatehouse-cli-e2e-");
    firstStart();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
    TempDirectories.delete(data);
  }

  private void firstStart() {
    start();
    secrets.add(operatorCredential());
    secrets.add(operatorKey());
  }

  /** Starts a gateway on the data directory (first start, or again after {@link #stop()}). */
  void start() {
    gateway = Gateway.start(new GatewayConfig(data, HOST, "127.0.0.1", 0, 0, null, null,
        GatewayConfig.DEFAULT_MAX_BODY), Clock.systemUTC());
  }

  /** Stops the gateway; idempotent. Its data directory and files stay. */
  void stop() {
    gateway.close();
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  int port() {
    return gateway.httpsPort();
  }

  int mqttPort() {
    return gateway.mqttPort();
  }

  Path data() {
    return data;
  }

  /** The whole environment of every CLI run: just the data directory. */
  Map<String, String> env() {
    return Map.of("GATEHOUSE_DATA", data.toString());
  }

  /** Registers a secret (a key, a connection string) that must never appear on stderr. */
  void secret(String value) {
    if (value != null && !value.isBlank()) {
      secrets.add(value);
    }
  }

  /**
   * {@code gatehouse KIND create ARGS… --output json} (a device or a service identity): its keys and
   * connection string become {@linkplain #secret secrets} that no later stderr may show.
   */
  JsonNode createWithKeys(String kind, String... args) {
    String[] full = new String[args.length + 2];
    full[0] = kind;
    full[1] = "create";
    System.arraycopy(args, 0, full, 2, args.length);
    JsonNode created = okJson(full);
    secret(created.path("primaryKey").asText());
    secret(created.path("secondaryKey").asText());
    secret(created.path("connectionString").asText());
    return created;
  }

  /** Every stderr text of every run so far. */
  List<String> stderrSeen() {
    return List.copyOf(stderrSeen);
  }

  /** {@code gatehouse ARGS…}; whatever the outcome, stderr must not show a known secret. */
  Result run(String... args) {
    Result result = CliRunner.run(env(), args);
    stderrSeen.add(result.err());
    for (String secret : secrets) {
      assertThat(result.err()).as("stderr of `gatehouse %s` must not show a secret", String.join(" ", args))
          .doesNotContain(secret);
    }
    return result;
  }

  /** {@code gatehouse ARGS…}, which must succeed. */
  Result ok(String... args) {
    Result result = run(args);
    assertThat(result.exitCode()).as("exit code of `gatehouse %s`; stderr: %s", String.join(" ", args), result.err())
        .isZero();
    return result;
  }

  /** {@code gatehouse ARGS… --output json}, which must succeed, print nothing on stderr, and print JSON. */
  JsonNode okJson(String... args) {
    String[] withJson = Arrays.copyOf(args, args.length + 2);
    withJson[args.length] = "--output";
    withJson[args.length + 1] = "json";
    Result result = ok(withJson);
    assertThat(result.err()).as("stderr of `gatehouse %s`", String.join(" ", withJson)).isEmpty();
    return json(result.out());
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  String operatorCredential() {
    try {
      return Files.readString(data.resolve("operator.credential")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operator's shared access key: the secret that must never be printed. */
  String operatorKey() {
    return ConnectionString.parse(operatorCredential()).require("SharedAccessKey");
  }

  /** A service SAS token as back-end SDKs make it: sr = host name, skn = the service's name. */
  static String serviceToken(String connectionString) {
    ConnectionString cs = ConnectionString.parse(connectionString);
    return SasSigner.token(cs.hostName(), Base64.getDecoder().decode(cs.require("SharedAccessKey")),
        Instant.now().plusSeconds(600), cs.require("SharedAccessKeyName"));
  }

  /** A GET over HTTPS with the JDK client, trusting only the gateway's generated ca.pem. */
  HttpResponse<String> httpsGet(String path, String authorization) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newBuilder().sslContext(trusting(data.resolve("ca.pem")))
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port() + path))
          .timeout(Duration.ofSeconds(20)).header("Authorization", authorization).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  /** A TLS context trusting only the CA certificate in {@code caPem}, as the CLI's {@code --ca} does. */
  static SSLContext trusting(Path caPem) {
    return TrustMaterial.sslContext(Optional.of(caPem));
  }
}
