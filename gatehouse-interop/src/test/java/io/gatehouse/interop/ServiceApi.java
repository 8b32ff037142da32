package io.gatehouse.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.x509.TrustAnchors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/** The gateway's service API as a back-end application calls it: HTTPS, operator's service SAS token. */
final class ServiceApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http;
  private final String token;

  ServiceApi(URI base, Path dataDirectory) throws Exception {
    this.base = base;
    this.http = HttpClient.newBuilder().sslContext(trusting(dataDirectory.resolve("ca.pem")))
        .connectTimeout(Duration.ofSeconds(5)).build();
    ConnectionString operator = ConnectionString.parse(Files.readString(dataDirectory.resolve("operator.credential")));
    this.token = SasSigner.token(operator.hostName(), Base64.getDecoder().decode(operator.require("SharedAccessKey")),
        Instant.now().plusSeconds(3600), operator.require("SharedAccessKeyName"));
  }

  JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expectedStatus) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }

  /** The one telemetry message {@code deviceId} has in the log; fails if there are none or several. */
  JsonNode onlyTelemetryOf(String deviceId) throws Exception {
    JsonNode items = call("GET", "/telemetry?device=" + deviceId, null, 200).get("items");
    if (items.size() != 1) {
      throw new AssertionError("expected one telemetry message of " + deviceId + ", found " + items.size() + ": "
          + items);
    }
    return items.get(0);
  }

  static SSLContext trusting(Path caPem) {
    return TrustAnchors.sslContext(caPem);
  }

}
