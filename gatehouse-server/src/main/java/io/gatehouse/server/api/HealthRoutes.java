package io.gatehouse.server.api;

import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.ProblemException;
import io.gatehouse.server.http.Router;
import io.gatehouse.store.GatehouseStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Unauthenticated probes and the API description: they reveal nothing about identities. */
public final class HealthRoutes {
  record Status(String status) {}

  private final GatehouseStore store;
  private final JsonCodec json;
  private final byte[] openApi;

  public HealthRoutes(GatehouseStore store, JsonCodec json) {
    this.store = store;
    this.json = json;
    this.openApi = loadOpenApi();
  }

  public void register(Router router) {
    router.add("GET", "/healthz", r -> json.response(200, new Status("ok")))
        .add("GET", "/readyz", r -> ready())
        .add("GET", "/openapi.yaml", r -> new ApiResponse(200, "application/yaml", Map.of(), openApi));
  }

  private ApiResponse ready() {
    try {
      store.audit().head();
      return json.response(200, new Status("ready"));
    } catch (RuntimeException e) {
      throw new ProblemException(503, "Service Unavailable", "the store does not answer: " + e.getMessage());
    }
  }

  private static byte[] loadOpenApi() {
    try (InputStream in = HealthRoutes.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the server jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("openapi.yaml cannot be read", e);
    }
  }
}
