package io.gatehouse.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gatehouse.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls the gateway's HTTPS service API as one service identity. One SAS token is signed per
 * client (one per process), valid for an hour; it is sent only in the {@code Authorization}
 * header and never shown. Failures become {@link CliException}s: exit 1 for a problem answer,
 * exit 3 when the gateway cannot be reached.
 */
public final class ApiClient implements AutoCloseable {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  /** A stream that sends nothing for this long, not even a keep-alive (every 15 s), is taken for dead. */
  public static final Duration STREAM_IDLE_TIMEOUT = Duration.ofSeconds(45);

  private final Connection connection;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final String authorization;
  private final String userAgent;
  private final Clock clock;

  public ApiClient(Connection connection, Clock clock, String version) {
    this.connection = connection;
    this.http = HttpClient.newBuilder()
        .sslContext(TrustMaterial.sslContext(connection.caFile()))
        .connectTimeout(CONNECT_TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.authorization = connection.credential().token(clock.instant().plus(TOKEN_LIFETIME));
    this.userAgent = "gatehouse-cli/" + version;
    this.clock = clock;
  }

  public Connection connection() {
    return connection;
  }

  public ApiResponse get(ApiPath path) {
    return send("GET", path, null, null);
  }

  public ApiResponse put(ApiPath path, JsonNode body, String ifMatch) {
    return send("PUT", path, body, ifMatch);
  }

  /** A POST; {@code body} may be {@code null} for actions without one. */
  public ApiResponse post(ApiPath path, JsonNode body) {
    return send("POST", path, body, null);
  }

  public ApiResponse delete(ApiPath path, String ifMatch) {
    return send("DELETE", path, null, ifMatch);
  }

  /**
   * Opens a Server-Sent Events stream with a GET. The head must arrive within
   * {@link #REQUEST_TIMEOUT}; the stream itself has no time limit, only the idle limit of
   * {@link #STREAM_IDLE_TIMEOUT}. Each stream is opened with a newly signed token, so a long watch
   * can reconnect after the previous token expired. A refusal throws as for other calls.
   *
   * @param lastEventId the {@code id} of the last event received, to resume after it; {@code null} to start
   */
  public ServerEvents stream(ApiPath path, String lastEventId) {
    URI uri = URI.create(connection.baseUrl() + path.toString());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Authorization", connection.credential().token(clock.instant().plus(TOKEN_LIFETIME)))
        .header("Accept", "text/event-stream, application/problem+json")
        .header("User-Agent", userAgent)
        .GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    CompletableFuture<HttpResponse<InputStream>> pending =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response;
    try {
      response = pending.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw TransportErrors.map(new HttpTimeoutException("no response head within " + REQUEST_TIMEOUT),
          connection, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    } catch (ExecutionException e) {
      throw TransportErrors.map(e.getCause(), connection, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw TransportErrors.map(e, connection, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }
    if (response.statusCode() != 200) {
      String text;
      try (InputStream body = response.body()) {
        text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      } catch (IOException e) {
        text = "";
      }
      JsonNode answer = parse(response.statusCode(), response.headers(), text);
      if (response.statusCode() >= 400) {
        throw ProblemMapper.toException(response.statusCode(), answer, uri, connection.credential().source());
      }
      throw CliException.refused("HTTP " + response.statusCode() + " from " + uri
          + " is not an event stream of the Gatehouse service API; is --url the gateway's service port?");
    }
    return new ServerEvents(response.body(), STREAM_IDLE_TIMEOUT);
  }

  private ApiResponse send(String method, ApiPath path, JsonNode body, String ifMatch) {
    URI uri = URI.create(connection.baseUrl() + path.toString());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", authorization)
        .header("Accept", "application/json, application/problem+json")
        .header("User-Agent", userAgent);
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(write(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw TransportErrors.map(e, connection, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransportErrors.map(e, connection, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }
    JsonNode answer = parse(response.statusCode(), response.headers(), response.body());
    if (response.statusCode() >= 400) {
      throw ProblemMapper.toException(response.statusCode(), answer, uri, connection.credential().source());
    }
    if (response.statusCode() >= 300) {
      throw CliException.refused("HTTP " + response.statusCode() + " from " + uri
          + " is not an answer of the Gatehouse service API; is --url the gateway's service port?");
    }
    return new ApiResponse(response.statusCode(), answer, response.headers().firstValue("ETag"));
  }

  private JsonNode parse(int status, HttpHeaders headers, String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    String type = headers.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (type.contains("json")) {
      try {
        return json.readTree(text);
      } catch (JsonProcessingException e) {
        if (status < 400) {
          throw CliException.refused("the gateway sent JSON that does not parse: " + e.getOriginalMessage());
        }
      }
    }
    return TextNode.valueOf(text);
  }

  private String write(JsonNode body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  /** The ETag of a response, from the header or else the body's {@code etag} field. */
  public static Optional<String> etagOf(ApiResponse response) {
    return response.etag().or(() -> Optional.ofNullable(response.body().get("etag"))
        .filter(JsonNode::isTextual).map(JsonNode::asText));
  }

  @Override
  public void close() {
    http.close();
  }
}
