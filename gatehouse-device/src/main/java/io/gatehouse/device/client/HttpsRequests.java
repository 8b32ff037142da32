package io.gatehouse.device.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.sas.PercentCodec;
import io.gatehouse.core.x509.TrustAnchors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * Requests of Azure IoT Hub's HTTPS device API (azure-iot-facts §3) for one device: the address,
 * the {@code Authorization: SharedAccessSignature …} header from a token cached until 85 % of its
 * lifetime (signing in a TPM costs a round trip to it; one token serves every request meanwhile),
 * and the gateway's refusals turned into {@link DeviceClientException}s without the token.
 */
final class HttpsRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DeviceIdentity identity;
  private final DeviceClient.Options options;
  private final HttpClient http;
  private final URI devicePath;
  private SessionToken token;
  private int tokensSigned;

  HttpsRequests(DeviceIdentity identity, DeviceClient.Options options) {
    this.identity = identity;
    this.options = options;
    // HTTP/1.1: the gateway's device API speaks it, and Azure's does too.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(TrustAnchors.sslContext(options.trust(), "the gateway's CA"))
        .connectTimeout(options.timeout()).build();
    this.devicePath = URI.create("https://" + options.serverHost() + ":" + options.serverPort() + "/devices/"
        + PercentCodec.encode(identity.deviceId()));
  }

  /** A request to {@code /devices/{id}{suffix}?api-version=…}, authorized with the current token. */
  HttpRequest.Builder request(String suffix) {
    return HttpRequest.newBuilder(URI.create(devicePath + suffix + "?api-version=" + DeviceClient.API_VERSION))
        .timeout(options.timeout()).header("Authorization", token());
  }

  HttpClient client() {
    return http;
  }

  /** The cached token, or a new one once the cached one reached its renewal time. */
  synchronized String token() {
    if (token == null || !identity.clock().instant().isBefore(token.renewAt())) {
      token = SessionToken.sign(identity, options.tokenTtl());
      tokensSigned++;
    }
    return token.value();
  }

  synchronized int tokensSigned() {
    return tokensSigned;
  }

  /** "the gateway refused {what} …: HTTP 403 Forbidden: {detail}", with the detail of its problem+json. */
  DeviceClientException refusal(String what, HttpResponse<?> response) {
    String title = null;
    String detail = null;
    Object body = response.body();
    String text = body instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
        : body instanceof String s ? s : "";
    Optional<String> type = response.headers().firstValue("Content-Type");
    if (type.isPresent() && type.get().contains("json") && !text.isBlank()) {
      try {
        JsonNode problem = JSON.readTree(text);
        title = problem.path("title").asText(null);
        detail = problem.path("detail").asText(problem.path("message").asText(null));
      } catch (IOException e) {
        detail = null;
      }
    }
    StringBuilder message = new StringBuilder("the gateway ").append(options.serverHost()).append(':')
        .append(options.serverPort()).append(" refused ").append(what).append(" as ").append(identity.deviceId())
        .append(": HTTP ").append(response.statusCode());
    if (title != null) {
      message.append(' ').append(title);
    }
    if (detail != null) {
      message.append(": ").append(detail);
    }
    return new DeviceClientException(message.toString(), response.statusCode(), detail);
  }

  DeviceClientException unreachable(String what, Throwable cause) {
    return new DeviceClientException(what + " as " + identity.deviceId() + " to " + options.serverHost() + ":"
        + options.serverPort() + " failed: " + cause, cause);
  }

}
