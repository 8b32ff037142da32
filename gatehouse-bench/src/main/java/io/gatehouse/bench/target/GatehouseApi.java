package io.gatehouse.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.x509.TrustAnchors;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The Gatehouse service API over HTTPS, as the operator identity (docs/service-api.md). */
final class GatehouseApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final String hostName;
  private final String keyName;
  private final byte[] key;
  private volatile String token;
  private volatile Instant tokenRenewAt = Instant.EPOCH;

  GatehouseApi(URI base, Path caPem, ConnectionString operator) throws IOException, GeneralSecurityException {
    this.base = base;
    this.hostName = operator.hostName();
    this.keyName = operator.require("SharedAccessKeyName");
    this.key = Base64.getDecoder().decode(operator.require("SharedAccessKey"));
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(TrustAnchors.sslContext(caPem))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A service SAS token valid for two hours, renewed after one. */
  private String token() {
    Instant now = Instant.now();
    if (now.isAfter(tokenRenewAt)) {
      token = SasSigner.token(hostName, key, now.plus(Duration.ofHours(2)), keyName);
      tokenRenewAt = now.plus(Duration.ofHours(1));
    }
    return token;
  }

  boolean ready() {
    try {
      HttpRequest request = HttpRequest.newBuilder(base.resolve("/readyz")).timeout(Duration.ofSeconds(2)).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  CompletableFuture<HttpResponse<String>> call(String method, String path, String jsonBody) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", token())
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      request.header("Content-Type", "application/json");
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Creates the device (or, if it exists from an earlier run in the same directory, reads its key). */
  CompletableFuture<byte[]> createDevice(String id) {
    return createIdentity(id, "{\"kind\":\"device\"}");
  }

  /**
   * Creates a device, edge or leaf as {@code body} describes it ({@code {"kind":"edge"}},
   * {@code {"kind":"device","parentId":"…"}}); if it exists from an earlier run in the same
   * directory, reads its key instead.
   */
  CompletableFuture<byte[]> createIdentity(String id, String body) {
    String path = "/devices/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    return call("PUT", path, body).thenCompose(response -> {
      if (response.statusCode() == 201) {
        return CompletableFuture.completedFuture(decodeKey(field(response, "primaryKey")));
      }
      if (response.statusCode() == 409) {
        return call("GET", path + "/connection-string?key=primary", null).thenApply(r -> {
          if (r.statusCode() != 200) {
            throw new IllegalStateException("GET connection string of " + id + " answered " + r.statusCode());
          }
          return decodeKey(ConnectionString.parse(field(r, "connectionString")).require("SharedAccessKey"));
        });
      }
      throw new IllegalStateException("PUT " + path + " answered " + response.statusCode() + ": " + response.body());
    });
  }

  /** Creates an enrollment group with generated keys; completes with its primary key (shown only now). */
  CompletableFuture<byte[]> createEnrollmentGroup(String id) {
    return call("PUT", "/enrollmentGroups/" + URLEncoder.encode(id, StandardCharsets.UTF_8), "{}").thenApply(r -> {
      if (r.statusCode() != 201) {
        throw new IllegalStateException("PUT /enrollmentGroups/" + id + " answered " + r.statusCode() + ": " + r.body());
      }
      return decodeKey(field(r, "primaryKey"));
    });
  }

  /** The installation's ID scope. */
  CompletableFuture<String> idScope() {
    return call("GET", "/provisioning", null).thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /provisioning answered " + r.statusCode() + ": " + r.body());
      }
      return field(r, "idScope");
    });
  }

  URI base() {
    return base;
  }

  /** Cloud-to-device send; completes on 201, fails otherwise (429 when the device's inbox is full). */
  CompletableFuture<Void> sendToDevice(String id, String text) {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("payload", text));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return call("POST", "/devices/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/messages/devicebound", body)
        .thenApply(response -> {
          if (response.statusCode() != 201) {
            throw new IllegalStateException("HTTP " + response.statusCode());
          }
          return null;
        });
  }

  /** The largest page the gateway serves. */
  static final int TELEMETRY_PAGE = 1000;

  /** One page of the telemetry log; {@code start} is {@code from=SEQ} or {@code fromTime=ISO-8601}. */
  CompletableFuture<TelemetryPage> telemetry(String start) {
    return call("GET", "/telemetry?" + start + "&limit=" + TELEMETRY_PAGE, null).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET /telemetry answered " + response.statusCode() + ": " + response.body());
      }
      try {
        JsonNode root = JSON.readTree(response.body());
        List<TelemetryPage.Message> items = new ArrayList<>();
        for (JsonNode item : root.path("items")) {
          JsonNode payload = item.get("payload");
          items.add(new TelemetryPage.Message(item.get("sequence").asLong(), item.path("deviceId").asText(),
              item.path("gatewayId").asText(null), Instant.parse(item.get("enqueuedAt").asText()),
              payload == null || payload.isNull() ? null : payload.asText()));
        }
        return new TelemetryPage(items, root.hasNonNull("next"));
      } catch (IOException e) {
        throw new IllegalStateException("GET /telemetry answered something that is not JSON", e);
      }
    });
  }

  private static String field(HttpResponse<String> response, String name) {
    try {
      JsonNode node = JSON.readTree(response.body()).get(name);
      if (node == null || !node.isTextual()) {
        throw new IllegalStateException("answer has no " + name);
      }
      return node.asText();
    } catch (IOException e) {
      throw new IllegalStateException("answer is not JSON", e);
    }
  }

  private static byte[] decodeKey(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  void close() {
    http.shutdownNow();
  }
}
