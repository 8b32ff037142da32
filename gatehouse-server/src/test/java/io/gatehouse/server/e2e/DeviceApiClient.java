package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.store.TelemetryLog;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway and a device's view of it: raw HTTPS requests as the Azure device SDKs send them
 * (bytes in, bytes out, any header), device tokens, client certificates, and a check of every
 * answer against what openapi.yaml documents for it.
 */
final class DeviceApiClient implements BeforeAllCallback, AfterAllCallback {
  final GatewayFixture gw = GatewayFixture.perTestClass();
  // Set when the gateway has started (beforeAll), for a test class's whole run.
  HttpClient http;
  private Path data;
  private JsonNode openapi;

  private DeviceApiClient() {}

  /** For a {@code @RegisterExtension static} field: one gateway for the test class, started before its tests. */
  static DeviceApiClient perTestClass() {
    return new DeviceApiClient();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    gw.beforeAll(context);
    data = gw.dataDirectory();
    http = client(GatewayFixture.trusting(data.resolve("ca.pem")));
    openapi = new YAMLMapper().readTree(gw.send("GET", "/openapi.yaml", null, null).body());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (http != null) {
      http.close();
    }
    gw.afterAll(context);
  }

  TelemetryLog log() {
    return gw.gateway().telemetry();
  }

  /** Registers a SAS device and returns its primary key. */
  String register(String id) throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/devices/" + id, "{}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Json.of(created).path("primaryKey").asText();
  }

  /** A device token as the C SDK makes it: sr percent-encoded, no skn. */
  static String token(String deviceId, String key) {
    return SasSigner.token(GatewayFixture.HOST + "/devices/" + deviceId, Base64.getDecoder().decode(key),
        Instant.now().plusSeconds(600), null);
  }

  /** With the default client: TLS without a client certificate. */
  HttpResponse<byte[]> call(String method, String path, byte[] body, String... headers) throws Exception {
    return call(http, method, path, body, headers);
  }

  HttpResponse<byte[]> call(HttpClient client, String method, String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> response) {
    return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
  }

  static String header(HttpResponse<byte[]> response, String name) {
    return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no header " + name + " in "
        + response.statusCode() + " " + response.headers().map()));
  }

  /** The {@code detail} of a problem answer. */
  static String detail(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    return new ObjectMapper().readTree(response.body()).path("detail").asText();
  }

  List<JsonNode> auditEntries() throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    long from = 1;
    while (true) {
      JsonNode page = Json.of(gw.asOperator("GET", "/audit?limit=1000&from=" + from, null));
      page.path("items").forEach(entries::add);
      if (!page.has("next") || page.path("items").isEmpty()) {
        return entries;
      }
      from = page.path("next").asLong();
    }
  }

  /** The answer's status is documented for the operation, with the documented headers and content type. */
  void documented(String method, String template, HttpResponse<?> response) {
    String op = method + " " + template + " -> " + response.statusCode();
    JsonNode documented = resolve(openapi.path("paths").path(template).path(method.toLowerCase(Locale.ROOT))
        .path("responses").path(Integer.toString(response.statusCode())));
    assertThat(documented.isMissingNode()).as("%s is documented", op).isFalse();
    documented.path("headers").fieldNames().forEachRemaining(header ->
        assertThat(response.headers().firstValue(header)).as("%s header %s", op, header).isPresent());
    JsonNode content = documented.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      assertThat(response.headers().firstValue("Content-Length").orElse("0")).as("%s has no body", op).isEqualTo("0");
    } else {
      String type = response.headers().firstValue("Content-Type").orElse("");
      assertThat(content.has(type)).as("%s content type %s is documented", op, type).isTrue();
    }
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref") && hops < 10; hops++) {
      current = openapi.at(current.get("$ref").asText().substring(1));
    }
    return current == null ? MissingNode.getInstance() : current;
  }

  static X509Certificate selfSigned(KeyPair keys, String commonName) throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=" + commonName);
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  /** A client presenting {@code certificate} in the TLS handshake, trusting only the gateway's CA. */
  HttpClient clientWithCertificate(KeyPair keys, X509Certificate certificate) throws Exception {
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    identity.setKeyEntry("device", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(identity, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(data.resolve("ca.pem"))) {
      trust.setCertificateEntry("gatehouse-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return client(context);
  }

  private static HttpClient client(SSLContext context) {
    return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

}
