package io.gatehouse.server.api;

import io.gatehouse.server.auth.ServiceAuthenticator;
import io.gatehouse.server.http.ApiHandler;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;

/** What every route class needs: authentication of the caller and JSON in and out. */
public final class ApiSupport {
  private final ServiceAuthenticator authenticator;
  private final JsonCodec json;

  public ApiSupport(ServiceAuthenticator authenticator, JsonCodec json) {
    this.authenticator = authenticator;
    this.json = json;
  }

  public ApiHandler secured(SecuredHandler handler) {
    return request -> handler.handle(request, authenticator.authenticate(request));
  }

  public <T> T body(ApiRequest request, Class<T> type) {
    return json.read(request.body(), type);
  }

  /** For calls whose body may be left out entirely. */
  public <T> T optionalBody(ApiRequest request, Class<T> type) {
    return request.body().length == 0 ? null : json.read(request.body(), type);
  }

  public ApiResponse ok(Object value) {
    return json.response(200, value);
  }

  public ApiResponse created(Object value) {
    return json.response(201, value);
  }

  public ApiResponse withEtag(ApiResponse response, String etag) {
    return response.withHeader("ETag", "\"" + etag + "\"");
  }

  /** The etag from {@code If-Match}, unquoted; {@code null} when absent. */
  public static String ifMatch(ApiRequest request) {
    return request.header("If-Match").map(ApiSupport::unquote).orElse(null);
  }

  static String unquote(String etag) {
    String trimmed = etag.trim();
    if (trimmed.startsWith("W/")) {
      trimmed = trimmed.substring(2);
    }
    if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
      return trimmed.substring(1, trimmed.length() - 1);
    }
    return trimmed;
  }
}
