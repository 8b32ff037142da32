package io.gatehouse.device.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.device.keys.DeviceKeys;
import io.gatehouse.device.tpm.ActivationException;
import io.gatehouse.device.tpm.TpmIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DPS client over HTTPS (azure-iot-facts §4.2–4.4), for Gatehouse's provisioning service or any
 * DPS-compatible one. Two attestations: a TPM ({@link #registerWithTpm}: the 401 challenge, the
 * import of its key into the TPM, a SAS signed there, then the hub key imported from the final
 * answer), and a symmetric key held by {@link DeviceKeys} ({@link #registerWithKey}).
 *
 * <p>Every request has a timeout; polling is bounded by {@code maxPolls}. Tokens and blobs are never
 * logged nor put in an exception message.
 */
public final class ProvisioningClient {
  public static final String API_VERSION = "2021-06-01";
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);
  private static final int MAX_POLLS = 30;
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);

  private final URI endpoint;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Clock clock;

  /**
   * @param endpoint the service's base address, e.g. {@code https://gateway.example.net:8443}
   * @param tls trusts the service's certificate (e.g. the gateway's CA only)
   */
  public ProvisioningClient(URI endpoint, SSLContext tls, Duration requestTimeout, Clock clock) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("the provisioning endpoint must be an https:// address with a host, got '"
          + endpoint + "'");
    }
    this.endpoint = endpoint;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(requestTimeout).build();
  }

  /**
   * TPM attestation: registers {@code registrationId} with the TPM's EK and SRK, imports the
   * challenge's key, proves it with a SAS signed in the TPM, and imports the hub key of the answer
   * (0x81000100 then holds the key the hub knows this device by).
   */
  public ProvisioningResult registerWithTpm(String idScope, String registrationId, TpmIdentity tpm) {
    ObjectNode body = registrationBody(registrationId);
    ObjectNode tpmNode = body.putObject("tpm");
    tpmNode.put("endorsementKey", Base64.getEncoder().encodeToString(tpm.endorsementKey()));
    tpmNode.put("storageRootKey", Base64.getEncoder().encodeToString(tpm.storageRootKey()));
    String path = registrationPath(idScope, registrationId);

    Answer challenge = send("PUT", path + "/register", body, null);
    if (challenge.status() != 401 || !challenge.json().hasNonNull("authenticationKey")) {
      if (challenge.status() / 100 == 2) {
        throw new ProvisioningException(challenge.status(), 0, null, "the provisioning service assigned '"
            + registrationId + "' without a TPM challenge; a TPM registration expects 401 with an authenticationKey");
      }
      throw refusal(challenge, registrationId);
    }
    importBlob(tpm, challenge.json().get("authenticationKey").asText(), "challenge");
    String token = tpm.sasToken(idScope + "/registrations/" + registrationId,
        clock.instant().plus(TOKEN_LIFETIME), "registration");
    JsonNode state = complete(send("PUT", path + "/register", body, token), path, token, registrationId);
    JsonNode hubKey = state.path("tpm").path("authenticationKey");
    if (!hubKey.isTextual()) {
      throw new ProvisioningException(200, 0, null, "the provisioning service assigned '" + registrationId
          + "' but sent no registrationState.tpm.authenticationKey: the TPM has no key the hub knows");
    }
    importBlob(tpm, hubKey.asText(), "hub key");
    return result(state, registrationId);
  }

  /** Symmetric-key attestation: the registration token is signed by {@code keys} (the enrollment's or derived key). */
  public ProvisioningResult registerWithKey(String idScope, String registrationId, DeviceKeys keys) {
    String path = registrationPath(idScope, registrationId);
    String token = keys.sasToken(idScope + "/registrations/" + registrationId, clock.instant().plus(TOKEN_LIFETIME),
        "registration");
    JsonNode state = complete(send("PUT", path + "/register", registrationBody(registrationId), token), path, token,
        registrationId);
    return result(state, registrationId);
  }

  private JsonNode complete(Answer answer, String path, String token, String registrationId) {
    for (int poll = 0; ; poll++) {
      if (answer.status() == 200 && "assigned".equals(answer.json().path("status").asText())) {
        return answer.json().path("registrationState");
      }
      if (answer.status() != 202 && answer.status() != 200) {
        throw refusal(answer, registrationId);
      }
      String status = answer.json().path("status").asText();
      if (!"assigning".equals(status) && !"unassigned".equals(status)) {
        JsonNode state = answer.json().path("registrationState");
        throw new ProvisioningException(answer.status(), state.path("errorCode").asLong(),
            state.path("errorMessage").asText(null), "registration '" + registrationId + "' ended with status '"
            + status + "'" + (state.hasNonNull("errorMessage") ? ": " + state.get("errorMessage").asText() : ""));
      }
      String operationId = answer.json().path("operationId").asText("");
      if (operationId.isEmpty() || poll >= MAX_POLLS) {
        throw new ProvisioningException(answer.status(), 0, null, "registration '" + registrationId
            + "' is still assigning after " + poll + " polls" + (operationId.isEmpty() ? " and has no operationId" : ""));
      }
      pause(answer.retryAfter());
      answer = send("GET", path + "/operations/" + URLEncoder.encode(operationId, StandardCharsets.UTF_8), null, token);
    }
  }

  private void importBlob(TpmIdentity tpm, String base64, String what) {
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ProvisioningException(0, 0, null, "the provisioning service sent a " + what
          + " authenticationKey that is not base64");
    }
    try {
      tpm.activateAndImport(blob);
    } catch (ActivationException e) {
      throw new ProvisioningException(0, 0, null, "the TPM refused the " + what + " blob: " + e.getMessage());
    }
  }

  private Answer send(String method, String path, JsonNode body, String authorization) {
    URI uri = endpoint.resolve(path + "?api-version=" + API_VERSION);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json; charset=utf-8");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      LOG.debug("event=dps_answer method={} path={} status={}", method, path, response.statusCode());
      JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : parse(response.body());
      Duration retryAfter = response.headers().firstValue("retry-after").map(ProvisioningClient::seconds)
          .orElse(Duration.ofSeconds(1));
      return new Answer(response.statusCode(), json, retryAfter);
    } catch (IOException e) {
      throw new ProvisioningException("the provisioning service at " + endpoint + " did not answer " + method + " "
          + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProvisioningException("interrupted while waiting for the provisioning service", e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      // A non-JSON answer (a proxy's HTML page) says nothing DPS-shaped; keep the status only.
      return JSON.createObjectNode();
    }
  }

  private static ProvisioningException refusal(Answer answer, String registrationId) {
    JsonNode json = answer.json();
    long code = json.path("errorCode").asLong(0);
    String message = json.path("message").asText(null);
    return new ProvisioningException(answer.status(), code, message, "the provisioning service refused '"
        + registrationId + "': HTTP " + answer.status() + (code == 0 ? "" : ", errorCode " + code)
        + (message == null ? "" : ": " + message));
  }

  private static ProvisioningResult result(JsonNode state, String registrationId) {
    String hub = state.path("assignedHub").asText("");
    String deviceId = state.path("deviceId").asText("");
    if (hub.isEmpty() || deviceId.isEmpty()) {
      throw new ProvisioningException(200, 0, null, "registration '" + registrationId
          + "' is assigned but the answer names no assignedHub or deviceId");
    }
    return new ProvisioningResult(state.path("registrationId").asText(registrationId), hub, deviceId,
        state.path("substatus").asText(null));
  }

  private static ObjectNode registrationBody(String registrationId) {
    ObjectNode body = JSON.createObjectNode();
    body.put("registrationId", registrationId);
    return body;
  }

  private static String registrationPath(String idScope, String registrationId) {
    return "/" + URLEncoder.encode(idScope, StandardCharsets.UTF_8) + "/registrations/"
        + URLEncoder.encode(registrationId, StandardCharsets.UTF_8);
  }

  private static Duration seconds(String text) {
    try {
      long s = Long.parseLong(text.trim());
      return Duration.ofSeconds(Math.max(0, s)).compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER
          : Duration.ofSeconds(Math.max(0, s));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }

  /** DPS asks its clients to wait retry-after seconds between polls; this is that wait, not a synchronisation. */
  private static void pause(Duration wait) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProvisioningException("interrupted while waiting to poll the provisioning service", e);
    }
  }

  private record Answer(int status, JsonNode json, Duration retryAfter) {}
}
