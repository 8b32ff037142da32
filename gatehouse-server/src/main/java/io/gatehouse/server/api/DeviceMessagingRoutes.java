package io.gatehouse.server.api;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.device.AuthenticatedDevice;
import io.gatehouse.server.device.DeviceAuthenticator;
import io.gatehouse.server.device.DeviceForbiddenException;
import io.gatehouse.server.device.TelemetryIngest;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.ProblemException;
import io.gatehouse.server.http.Problems;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.inbox.InboxService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The Azure IoT Hub HTTPS device protocol: devices send telemetry and pull, complete, reject and
 * abandon their cloud-to-device messages, authenticated by their own SAS token or TLS client
 * certificate (see {@link DeviceCallers}). Literal path segments match case-insensitively, so the
 * Java SDK's {@code devicebound} works; {@code api-version} is accepted and ignored. Thin: decode,
 * call the ingest or inbox, encode.
 */
public final class DeviceMessagingRoutes {
  private static final String DEVICE_BOUND = "/devices/{id}/messages/deviceBound";

  private final DeviceCallers callers;
  private final TelemetryIngest ingest;
  private final InboxService inbox;
  private final JsonCodec json;
  private final AuditLog audit;

  public DeviceMessagingRoutes(DeviceAuthenticator authenticator, TelemetryIngest ingest, InboxService inbox,
      JsonCodec json, AuditLog audit) {
    this.callers = new DeviceCallers(authenticator, audit);
    this.ingest = ingest;
    this.inbox = inbox;
    this.json = json;
    this.audit = audit;
  }

  public void register(Router router) {
    router.add("POST", "/devices/{id}/messages/events", this::send)
        .add("GET", DEVICE_BOUND, this::receive)
        .add("DELETE", DEVICE_BOUND + "/{etag}", this::complete)
        .add("POST", DEVICE_BOUND + "/{etag}/abandon", this::abandon);
  }

  /** One message (headers carry its properties) or a batch; 204 once every message is durable. */
  private ApiResponse send(ApiRequest request) throws Exception {
    AuthenticatedDevice device = callers.require(request, "https.telemetry");
    List<TelemetryBatch.Message> messages;
    if (TelemetryBatch.isBatch(request.header("Content-Type").orElse(null))) {
      if (request.body().length > TelemetryBatch.MAX_BYTES) {
        throw new ProblemException(413, "Content Too Large", "the batch is " + request.body().length
            + " bytes; at most " + TelemetryBatch.MAX_BYTES + " are accepted");
      }
      messages = TelemetryBatch.parse(request.body(), json.mapper());
    } else {
      messages = List.of(new TelemetryBatch.Message(DeviceMessageHeaders.fromHeaders(request.headers()),
          request.body()));
    }
    List<CompletableFuture<TelemetryMessage>> durable = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      TelemetryBatch.Message message = messages.get(i);
      try {
        durable.add(ingest.publish(device, request.pathParameter("id"), message.properties(), message.payload()));
      } catch (InvalidInputException e) {
        throw messages.size() == 1 ? e : new InvalidInputException("batch element [" + i + "]: " + e.getMessage());
      } catch (DeviceForbiddenException e) {
        audit.denied("device:" + device.id(), "https.telemetry", "device:" + request.pathParameter("id"),
            e.getMessage(), request.source());
        throw Problems.forbidden(e.getMessage(), null);
      }
    }
    for (CompletableFuture<TelemetryMessage> append : durable) {
      try {
        append.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }
    return ApiResponse.noContent();
  }

  /** Locks the next message: 200 with the payload and its properties as headers, 204 when there is none. */
  private ApiResponse receive(ApiRequest request) {
    AuthenticatedDevice device = callers.require(request, "https.c2d.receive");
    Optional<InboxMessage> next = inbox.receive(device.id());
    if (next.isEmpty()) {
      return ApiResponse.noContent();
    }
    InboxMessage message = next.get();
    return new ApiResponse(200, "application/octet-stream", DeviceMessageHeaders.toHeaders(message),
        message.payload());
  }

  /** Completes, or rejects with a {@code reject} query parameter (C: {@code &reject}; Java: {@code %3Freject=true}). */
  private ApiResponse complete(ApiRequest request) {
    boolean reject = rejects(request.query());
    AuthenticatedDevice device = callers.require(request, reject ? "https.c2d.reject" : "https.c2d.complete");
    String lock = ApiSupport.unquote(request.pathParameter("etag"));
    if (reject) {
      inbox.reject(device.id(), lock);
    } else {
      inbox.complete(device.id(), lock);
    }
    return ApiResponse.noContent();
  }

  private ApiResponse abandon(ApiRequest request) {
    AuthenticatedDevice device = callers.require(request, "https.c2d.abandon");
    inbox.abandon(device.id(), ApiSupport.unquote(request.pathParameter("etag")));
    return ApiResponse.noContent();
  }

  /** Any parameter whose decoded name, minus a leading {@code ?}, is {@code reject}, unless its value is {@code false}. */
  static boolean rejects(Map<String, List<String>> query) {
    for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
      String name = parameter.getKey().startsWith("?") ? parameter.getKey().substring(1) : parameter.getKey();
      if (name.toLowerCase(Locale.ROOT).equals("reject")
          && parameter.getValue().stream().noneMatch(value -> value.equalsIgnoreCase("false"))) {
        return true;
      }
    }
    return false;
  }
}
