package io.gatehouse.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.posture.PostureReader;
import io.gatehouse.store.EdgePosture;
import java.time.Instant;

/** {@code /edges}: what field gateways report about themselves. Thin: ask the reader, encode. */
public final class EdgeRoutes {
  /** The latest report, as the edge sent it, with when and from where it arrived. */
  record PostureView(String edgeId, Instant receivedAt, String source, JsonNode posture) {}

  private final PostureReader postures;
  private final ApiSupport api;
  private final JsonCodec json;

  public EdgeRoutes(PostureReader postures, ApiSupport api, JsonCodec json) {
    this.postures = postures;
    this.api = api;
    this.json = json;
  }

  public void register(Router router) {
    router.add("GET", "/edges/{id}/posture", api.secured(this::posture));
  }

  private ApiResponse posture(ApiRequest request, Caller caller) {
    EdgePosture latest = postures.latest(caller, request.pathParameter("id"));
    return api.ok(new PostureView(latest.edgeId(), latest.receivedAt(), latest.source(), report(latest)));
  }

  private JsonNode report(EdgePosture posture) {
    try {
      return json.mapper().readTree(posture.report());
    } catch (JsonProcessingException e) {
      // It was checked to be a JSON object before it was stored: this is a damaged database.
      throw new IllegalStateException("the stored posture report of '" + posture.edgeId() + "' is not JSON", e);
    }
  }
}
